//! Styles, in colour, monochrome (`NO_COLOR` / `--no-color`) or high contrast (`theme:
//! high-contrast` in the config: everything bold on the terminal's own black and white).
//! Meaning never rests on colour alone: failures also carry a symbol. Secondary text is
//! never dark grey: it must read on a laptop in sunlight.

use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub color: bool,
    pub high_contrast: bool,
}

/// The themes the config's `theme:` may name.
pub const THEMES: [&str; 2] = ["default", "high-contrast"];

/// Symbols shown beside items, readable in sunlight and without colour.
pub const SYMBOL_PASS: &str = "✓";
pub const SYMBOL_FAIL: &str = "✗";
pub const SYMBOL_NA: &str = "–";
pub const SYMBOL_INFO: &str = "•";
pub const SYMBOL_MISSING: &str = "○";
pub const SYMBOL_OPTIONAL: &str = "·";

impl Theme {
    pub fn new(color: bool) -> Self {
        Self {
            color,
            high_contrast: false,
        }
    }

    /// The theme the config names (`None`: the default), or the names it may take.
    pub fn named(color: bool, name: Option<&str>) -> Result<Self, String> {
        match name {
            None | Some("default") => Ok(Self::new(color)),
            Some("high-contrast") => Ok(Self {
                color: false,
                high_contrast: true,
            }),
            Some(other) => Err(format!(
                "unknown theme \"{other}\"; themes: {}",
                THEMES.join(", ")
            )),
        }
    }

    fn fg(self, color: Color) -> Style {
        let style = if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        };
        self.bold_if_high_contrast(style)
    }

    fn bold_if_high_contrast(self, style: Style) -> Style {
        if self.high_contrast {
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        }
    }

    /// Plain text: bold too in high contrast.
    pub fn text(self) -> Style {
        self.bold_if_high_contrast(Style::new())
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn selected(self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }
    pub fn pass(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn fail(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    /// Secondary text (help, hints, counts): light grey in colour, plain otherwise — never
    /// the dark grey or faint attribute that vanishes on a black screen in sunlight.
    pub fn dim(self) -> Style {
        self.fg(Color::Gray)
    }
    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn border(self) -> Style {
        self.fg(Color::Gray)
    }
    pub fn error(self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secondary_text_is_never_faint_or_dark_grey() {
        for theme in [
            Theme::new(true),
            Theme::new(false),
            Theme::named(true, Some("high-contrast")).unwrap(),
        ] {
            let dim = theme.dim();
            assert_ne!(dim.fg, Some(Color::DarkGray));
            assert!(!dim.add_modifier.contains(Modifier::DIM));
        }
    }

    #[test]
    fn high_contrast_is_bold_without_colour() {
        let theme = Theme::named(true, Some("high-contrast")).unwrap();
        for style in [
            theme.dim(),
            theme.pass(),
            theme.fail(),
            theme.key(),
            theme.text(),
            theme.title(),
        ] {
            assert!(style.add_modifier.contains(Modifier::BOLD), "{style:?}");
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
        assert!(
            Theme::named(true, Some("neon"))
                .unwrap_err()
                .contains("high-contrast")
        );
    }
}
