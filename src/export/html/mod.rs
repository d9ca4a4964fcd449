//! `export --format html` and `show --format html`: self-contained pages a supervisor can
//! print — inline CSS and SVG, no script (a Content-Security-Policy forbids any), no
//! external asset. Every text from a record or a checklist goes through `esc`, so a note
//! holding `<script>` is shown as those characters. Every word follows `--lang`.
//!
//! - `summary`: the report's first page (one A4 sheet), `detail`: the rest;
//! - `attention`: which visits need a supervisor now, and why;
//! - `chart`: bars and per-week charts with the target as a line;
//! - `sheet`: one visit's printable sheet;
//! - `words`: every word, in English and Chinese; `style`: the stylesheet.

use std::fmt::Write as _;

use crate::lang::Lang;
use crate::review::Stats;
use crate::review::period::Comparison;
use crate::store::index::summary::VisitSummary;

mod attention;
mod chart;
mod detail;
pub mod sheet;
mod style;
mod summary;
pub mod thumbs;
pub mod words;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters (an escape sequence in a note, say), bidi overrides and
            // zero-width characters are shown as a placeholder: a file name cannot then
            // read backwards (`fdp.exe` as `exe.pdf`) or hide itself on the printed page.
            '\n' | '\t' => out.push(c),
            c if crate::sanitize::is_hazard(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// How the report reads a visit's photos from the store (`None`: the visit has none).
pub type PhotosOf<'a> = dyn Fn(&VisitSummary) -> Option<thumbs::VisitPhotos> + 'a;

/// What the report is made of.
pub struct Report<'a> {
    /// The visits the filter chose (all statuses).
    pub visits: &'a [&'a VisitSummary],
    /// The figures over them, by `crate::review::compute_stats`.
    pub stats: &'a Stats,
    /// This period against the previous one, when the visits have dates.
    pub comparison: Option<&'a Comparison>,
    /// What the figures count and the filter, in the UI language.
    pub scope: &'a str,
    pub lang: Lang,
    /// When the report was made, as people read it.
    pub generated: &'a str,
    /// The first and last day of the visits.
    pub first: &'a str,
    pub last: &'a str,
    /// A visit's photos, for those that need attention (read from the store on demand).
    pub photos: Option<&'a PhotosOf<'a>>,
}

/// The first and last day of the visits (`—` without any).
pub fn period<'a>(visits: &[&'a VisitSummary]) -> (&'a str, &'a str) {
    let days = visits.iter().map(|v| v.started_date());
    let first = days.clone().min().unwrap_or("—");
    let last = days.max().unwrap_or("—");
    (first, last)
}

/// The opening of a page: no script may run in it, whatever it holds.
pub fn page_start(html: &mut String, lang: Lang, title: &str) {
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        esc(lang.tag()),
        esc(title),
        style::STYLE
    );
}

/// The report: its summary page, then the detail.
pub fn report(r: &Report) -> String {
    let w = words::words(r.lang);
    let mut html = String::with_capacity(64 * 1024);
    page_start(
        &mut html,
        r.lang,
        &format!("{} {} – {}", w.title, r.first, r.last),
    );
    let attention = attention::needing_attention(r.visits, w);
    summary::summary(&mut html, r, &attention, w);
    detail::detail(&mut html, r, &attention, w);
    html.push_str("</body>\n</html>\n");
    html
}

fn pct(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

/// A target's rate: 0.75 as `75%`, 0.755 as `75.5%`.
fn goal(rate: f64) -> String {
    let text = format!("{:.1}", rate * 100.0);
    format!("{}%", text.strip_suffix(".0").unwrap_or(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\" \u{1b}[2J \u{202e}fdp.exe\u{200b}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; \u{fffd}[2J \u{fffd}fdp.exe\u{fffd}"
        );
    }

    fn empty_report(lang: Lang) -> String {
        report(&Report {
            visits: &[],
            stats: &Stats::default(),
            comparison: None,
            scope: "no visits",
            lang,
            generated: "now",
            first: "—",
            last: "—",
            photos: None,
        })
    }

    #[test]
    fn a_report_over_nothing_is_still_a_page_without_script() {
        let html = empty_report(Lang::En);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.ends_with("</html>\n"));
        assert!(html.contains("content=\"script-src 'none'\""));
        assert!(!html.contains("<script"));
        assert!(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    }

    #[test]
    fn every_heading_follows_the_language() {
        let html = empty_report(Lang::ZhCn);
        for english in [
            "Service quality report",
            "Targets",
            "Needs attention",
            "Detail",
        ] {
            assert!(!html.contains(english), "{english} in\n{html}");
        }
        assert!(html.contains("服务质量报告") && html.contains("明细"));
    }
}
