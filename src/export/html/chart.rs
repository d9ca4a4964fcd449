//! Bars and the per-week chart, drawn as inline CSS and SVG. Colours follow the target when
//! there is one (met: green, missed: red) and are neutral when there is none: no fixed
//! threshold decides what is good.

use std::fmt::Write as _;

use chrono::{NaiveDate, Weekday};

use super::{esc, pct};

/// The class a figure gets against its target: `ok`, `bad`, or neutral without one.
pub fn class(rate: Option<f64>, target: Option<f64>) -> &'static str {
    match (rate, target) {
        (Some(r), Some(t)) if r + 1e-9 >= t => "ok",
        (Some(_), Some(_)) => "bad",
        _ => "neutral",
    }
}

/// A horizontal bar for `rate` (0–100%), with the target as a vertical line.
pub fn bar(rate: Option<f64>, target: Option<f64>) -> String {
    let width = rate.map_or(0.0, |r| (r * 100.0).clamp(0.0, 100.0));
    let mark = target.map_or_else(String::new, |t| {
        format!(
            "<i style=\"left:{:.1}%\"></i>",
            (t * 100.0).clamp(0.0, 100.0)
        )
    });
    format!(
        "<div class=\"bar\"><span class=\"{}\" style=\"width:{width:.1}%\"></span>{mark}</div>",
        class(rate, target)
    )
}

/// `2026-W47` as `W47` and the date of its Monday, `11-16`.
pub fn week_label(key: &str) -> (String, String) {
    let parsed = key.split_once("-W").and_then(|(year, week)| {
        let monday =
            NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, Weekday::Mon)?;
        Some((format!("W{week}"), monday.format("%m-%d").to_string()))
    });
    parsed.unwrap_or_else(|| (key.to_owned(), String::new()))
}

/// One bar of the chart: the week's key, its rate, and the visits it rests on.
pub struct Point<'a> {
    pub key: &'a str,
    pub rate: Option<f64>,
    pub visits: u32,
}

/// The axis fitted to the data and the target, in steps of 5%, with some room around.
fn axis(points: &[Point], target: Option<f64>) -> (f64, f64) {
    let values = points.iter().filter_map(|p| p.rate).chain(target);
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        return (0.0, 1.0);
    }
    let step = 0.05;
    let lo = ((lo - step / 2.0) / step).floor() * step;
    let hi = ((hi + step / 2.0) / step).ceil() * step;
    (lo.max(0.0), hi.min(1.0).max(lo.max(0.0) + step))
}

/// A bar chart of rates per week: the axis fitted to the data, the target as a dashed
/// line, each week labelled `W47` over its Monday's date. Scales to its box (viewBox).
pub fn week_chart(points: &[Point], target: Option<f64>, label: &str) -> String {
    let mut svg = String::new();
    if points.is_empty() {
        return svg;
    }
    let (left, top, plot_h, slot) = (34.0, 8.0, 110.0, 30.0);
    let width = left + slot * points.len() as f64 + 6.0;
    let height = top + plot_h + 30.0;
    let (lo, hi) = axis(points, target);
    let y = |rate: f64| top + plot_h * (1.0 - (rate - lo) / (hi - lo));
    let _ = writeln!(
        svg,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"{}\">",
        esc(label)
    );
    // Gridlines at the axis's ends and at a round middle (a whole 5%).
    let middle = ((lo + hi) / 2.0 / 0.05).round() * 0.05;
    let ticks = [lo, middle, hi];
    for rate in ticks
        .into_iter()
        .filter(|&r| r == lo || r == hi || (r > lo + 0.01 && r < hi - 0.01))
    {
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" x2=\"{width:.0}\" y1=\"{0:.1}\" y2=\"{0:.1}\" stroke=\"#ccc\"/><text x=\"{1}\" y=\"{2:.1}\" text-anchor=\"end\">{3:.0}%</text>",
            y(rate),
            left - 3.0,
            y(rate) + 3.0,
            rate * 100.0
        );
    }
    for (i, p) in points.iter().enumerate() {
        let x = left + slot * i as f64 + 5.0;
        let center = x + (slot - 10.0) / 2.0;
        if let Some(rate) = p.rate {
            let top_y = y(rate.clamp(lo, hi));
            let _ = writeln!(
                svg,
                "<rect class=\"{}\" x=\"{x:.1}\" y=\"{top_y:.1}\" width=\"{:.0}\" height=\"{:.1}\"><title>{} {} ({})</title></rect>",
                class(Some(rate), target),
                slot - 10.0,
                top + plot_h - top_y,
                esc(p.key),
                pct(Some(rate)),
                p.visits
            );
        }
        let (week, monday) = week_label(p.key);
        let _ = writeln!(
            svg,
            "<text x=\"{center:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text x=\"{center:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"sub\">{}</text>",
            top + plot_h + 12.0,
            esc(&week),
            top + plot_h + 23.0,
            esc(&monday)
        );
    }
    if let Some(t) = target {
        let _ = writeln!(
            svg,
            "<line class=\"target\" x1=\"{left}\" x2=\"{width:.0}\" y1=\"{0:.1}\" y2=\"{0:.1}\"/>",
            y(t)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_read_with_their_monday() {
        assert_eq!(week_label("2026-W47"), ("W47".into(), "11-16".into()));
        assert_eq!(week_label("oops"), ("oops".into(), String::new()));
    }

    #[test]
    fn the_axis_fits_the_data_and_the_target() {
        let points = [
            Point {
                key: "2026-W47",
                rate: Some(0.91),
                visits: 3,
            },
            Point {
                key: "2026-W48",
                rate: Some(0.93),
                visits: 3,
            },
        ];
        let (lo, hi) = axis(&points, None);
        assert!(
            lo >= 0.8 && hi <= 1.0 && lo < 0.91 && hi > 0.93,
            "{lo} {hi}"
        );
        let (lo, _) = axis(&points, Some(0.75));
        assert!(lo <= 0.75);
    }

    #[test]
    fn colours_follow_the_target() {
        assert_eq!(class(Some(0.792), Some(0.75)), "ok");
        assert_eq!(class(Some(0.70), Some(0.75)), "bad");
        assert_eq!(class(Some(0.10), None), "neutral");
    }
}
