//! Cutting and wrapping text by display width (a Chinese character takes two columns).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` cut to at most `width` columns, with `…` when something was cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Lines of at most `width` columns, broken at spaces where it can, by display width.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_inclusive(' ') {
        let w = word.width();
        // The space after a word may hang past the end of the line.
        let visible = word.trim_end().width();
        if used + visible > width && !line.is_empty() {
            lines.push(line.trim_end().to_owned());
            line = String::new();
            used = 0;
        }
        if visible > width {
            // A word longer than the line (Chinese has no spaces): cut it by characters.
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > width {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        } else {
            line.push_str(word);
            used += w;
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_by_columns() {
        assert_eq!(truncate("上门服务出示上岗证", 9), "上门服务…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
    }

    #[test]
    fn wraps_by_width_and_cuts_long_words() {
        assert_eq!(wrap("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
        assert_eq!(
            wrap("上门服务出示上岗证", 8),
            ["上门服务", "出示上岗", "证"]
        );
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("abcdefg hi", 7), ["abcdefg", "hi"]);
    }
}
