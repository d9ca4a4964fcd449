//! The stats tab's bar lines: `  label  ██████▌··│·  93.1%  extra`. The figures always show
//! whole — the bar gives up columns first, then the label, then the extra text's last parts —
//! and a bar may be drawn over an axis narrower than 0–100% (the week chart).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::tui::theme::Theme;

use super::widgets::{bar, cell};

/// The range a bar's length is drawn over: 0–100%, or fitted to the data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    pub lo: f64,
    pub hi: f64,
}

impl Axis {
    pub const FULL: Axis = Axis { lo: 0.0, hi: 1.0 };

    /// Whole percents around the rates given, at least five points wide, so that a trend
    /// between 90% and 93% is seen rather than four bars that all look full.
    pub fn fitted(rates: impl IntoIterator<Item = f64>) -> Axis {
        let (mut min, mut max) = (f64::MAX, f64::MIN);
        for rate in rates {
            min = min.min(rate);
            max = max.max(rate);
        }
        if min > max {
            return Axis::FULL;
        }
        let mut lo = ((min * 100.0).floor() - 1.0).max(0.0);
        let mut hi = ((max * 100.0).ceil() + 1.0).min(100.0);
        while hi - lo < 5.0 {
            if lo > 0.0 {
                lo -= 1.0;
            }
            if hi < 100.0 {
                hi += 1.0;
            }
        }
        Axis {
            lo: lo / 100.0,
            hi: hi / 100.0,
        }
    }

    /// Where `rate` falls along the axis, 0 to 1.
    pub fn place(self, rate: f64) -> f64 {
        ((rate - self.lo) / (self.hi - self.lo).max(1e-9)).clamp(0.0, 1.0)
    }
}

/// `93.1%`: one decimal, so that 79.2% against a 75% target reads as it is.
pub fn percent1(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

/// One bar line's parts.
#[derive(Clone, Copy)]
pub struct BarRow<'a> {
    pub label: &'a str,
    pub rate: Option<f64>,
    /// A target to mark on the bar (`│`) and to colour by.
    pub goal: Option<f64>,
    /// Parts of the text after the figure, most wanted first: those that do not fit are
    /// left off from the end, never cut in the middle.
    pub extra: &'a [String],
}

/// Widest a bar gets; narrowest it shrinks to before the label gives way.
const BAR_MAX: usize = 24;
const BAR_MIN: usize = 6;
/// What a bar keeps before extra text is left off.
const BAR_PREF: usize = 12;
/// `100.0%` and the space before it.
const FIGURE: usize = 7;
/// The indent, and the space after the label.
const MARGINS: usize = 3;
/// A label keeps this many columns (all of a short one) before extra text is left off.
const LABEL_MIN: usize = 20;

/// The columns of a group of bar lines, the same for all its rows so that they line up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    pub label: usize,
    pub bar: usize,
    /// The width left for the extra text.
    pub extra: usize,
}

fn extra_text(parts: &[String]) -> String {
    if parts.is_empty() {
        String::new()
    } else {
        format!("  {}", parts.join(" · "))
    }
}

/// Fits `rows` into `width`: the figures always; the bar from 24 columns down to 12 and
/// the label down to 20 before the extra text gives way, then the bar down to 6.
pub fn fit(rows: &[BarRow], width: usize) -> Columns {
    let label_max = rows.iter().map(|r| r.label.width()).max().unwrap_or(0);
    let extra_max = rows
        .iter()
        .map(|r| extra_text(r.extra).width())
        .max()
        .unwrap_or(0);
    let room = width.saturating_sub(MARGINS + FIGURE);
    let label = room
        .saturating_sub(BAR_PREF + extra_max)
        .clamp(LABEL_MIN.min(label_max), label_max);
    let label = label
        .min(room.saturating_sub(BAR_MIN))
        .max(label_max.min(4));
    let bar = room
        .saturating_sub(label + extra_max)
        .clamp(BAR_PREF, BAR_MAX)
        .min(room.saturating_sub(label))
        .max(BAR_MIN.min(room));
    Columns {
        label,
        bar,
        extra: room.saturating_sub(label + bar),
    }
}

/// The line for `row` in columns from `fit`: the extra parts that do not fit are left off
/// from the end, whole.
pub fn bar_line(
    theme: Theme,
    nothing_scored: &str,
    row: &BarRow,
    columns: Columns,
    axis: Axis,
) -> Line<'static> {
    let mut spans = vec![Span::raw(format!(
        "  {} ",
        cell(row.label, columns.label, false)
    ))];
    match row.rate {
        Some(rate) => {
            let style = rate_style(theme, rate, row.goal);
            let (filled, empty) = bar(axis.place(rate), columns.bar);
            spans.push(Span::styled(filled.clone(), style));
            spans.extend(goal_mark(
                theme,
                &filled,
                &empty,
                row.goal.map(|g| axis.place(g)),
                columns.bar,
            ));
            spans.push(Span::styled(
                cell(&percent1(Some(rate)), FIGURE, true),
                style,
            ));
        }
        None => spans.push(Span::styled(
            cell(nothing_scored, columns.bar + FIGURE, false),
            theme.dim(),
        )),
    }
    let mut parts = row.extra.to_vec();
    while extra_text(&parts).width() > columns.extra {
        parts.pop();
    }
    let extra = extra_text(&parts);
    if !extra.is_empty() {
        spans.push(Span::styled(extra, theme.dim()));
    }
    Line::from(spans)
}

/// The empty part of a bar, with the goal's place marked `│` where it falls in it.
fn goal_mark(
    theme: Theme,
    filled: &str,
    empty: &str,
    goal: Option<f64>,
    bar_width: usize,
) -> Vec<Span<'static>> {
    let plain = vec![Span::styled(empty.to_owned(), theme.dim())];
    let Some(goal) = goal else {
        return plain;
    };
    let at = (goal * bar_width as f64).round() as usize;
    let filled_width = filled.width();
    if at < filled_width || at >= bar_width {
        return plain;
    }
    let before = at - filled_width;
    let after = empty.chars().count().saturating_sub(before + 1);
    vec![
        Span::styled("·".repeat(before), theme.dim()),
        Span::styled("│", theme.warn()),
        Span::styled("·".repeat(after), theme.dim()),
    ]
}

/// With a target: green when met, red when not (79.2% against 75% is green). Without one:
/// green from 90%, yellow from 75%, red below. The percentage says it too.
pub fn rate_style(theme: Theme, rate: f64, goal: Option<f64>) -> Style {
    match goal {
        Some(goal) if rate + 1e-9 >= goal => theme.pass(),
        Some(_) => theme.fail(),
        None if rate + 1e-9 >= 0.9 => theme.pass(),
        None if rate + 1e-9 >= 0.75 => theme.warn(),
        None => theme.fail(),
    }
}

/// `2026-W47` as `W47 11-16`: the week and the date of its Monday.
pub fn week_label(key: &str) -> String {
    let parsed = key.split_once("-W").and_then(|(year, week)| {
        let monday = chrono::NaiveDate::from_isoywd_opt(
            year.parse().ok()?,
            week.parse().ok()?,
            chrono::Weekday::Mon,
        )?;
        Some(format!("W{week} {}", monday.format("%m-%d")))
    });
    parsed.unwrap_or_else(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn figures_are_never_cut_and_extras_drop_whole() {
        let extra = [
            "1,234 visits".to_owned(),
            "mean score 93%".to_owned(),
            "✗12".to_owned(),
        ];
        let row = BarRow {
            label: "Show your service ID badge before entering",
            rate: Some(0.931),
            goal: None,
            extra: &extra,
        };
        let short = BarRow {
            label: "Arrival",
            rate: None,
            goal: None,
            extra: &[],
        };
        // Both rows drawn as one group, in the columns `fit` gives it.
        let line_at = |which: &BarRow, width| {
            let columns = fit(&[row, short], width);
            let line = bar_line(
                Theme::new(false),
                "nothing scored",
                which,
                columns,
                Axis::FULL,
            );
            text(&line)
        };
        for width in [40, 59, 80, 120] {
            let line = line_at(&row, width);
            assert!(line.width() <= width, "{width}: {line}");
            assert!(line.contains("93.1%"), "{width}: {line}");
            assert!(
                !line.contains("visits…") && !line.contains("scor…"),
                "{line}"
            );
            // Rows of one group line up: the bar starts in the same column.
            let other = line_at(&short, width);
            assert_eq!(
                line.find('█').map(|at| line[..at].width()),
                other.find("nothing").map(|at| other[..at].width()),
                "{width}:\n{line}\n{other}"
            );
        }
        let wide = line_at(&row, 120);
        assert!(
            wide.contains("1,234 visits · mean score 93% · ✗12"),
            "{wide}"
        );
    }

    #[test]
    fn the_axis_fits_the_data_and_weeks_read_with_their_dates() {
        let axis = Axis::fitted([0.905, 0.93, 0.92]);
        assert_eq!((axis.lo, axis.hi), (0.89, 0.94));
        assert!(axis.place(0.905) < 0.4 && axis.place(0.93) > 0.7);
        assert_eq!(Axis::fitted([]), Axis::FULL);
        assert_eq!(Axis::fitted([1.0]).hi, 1.0);
        assert_eq!(week_label("2026-W47"), "W47 11-16");
        assert_eq!(week_label("—"), "—");
    }

    #[test]
    fn colours_follow_the_target() {
        let theme = Theme::new(true);
        assert_eq!(rate_style(theme, 0.792, Some(0.75)), theme.pass());
        assert_eq!(rate_style(theme, 0.70, Some(0.75)), theme.fail());
        assert_eq!(rate_style(theme, 0.80, None), theme.warn());
    }
}
