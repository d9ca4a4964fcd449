//! One set of figures (SPEC section 6): the stats tab, `sitecheck stats` and the HTML report
//! compute them in one place and agree to the visit — over a generated store in two data
//! folders with open, abandoned, damaged, amended and reviewed visits, overall and broken
//! down by every dimension.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod gen_support;
mod review_support;
mod store_support;

use std::path::{Path, PathBuf};

use crossterm::event::KeyCode;
use gen_support::{damage, generate};
use review_support::{key, screen_of};
use sitecheck::config::RushedThresholds;
use sitecheck::lang::Lang;
use sitecheck::review::breakdown::By;
use sitecheck::review::stats::{GroupStats, Stats};
use sitecheck::store::index::open::{OpenOptions, open_store};
use sitecheck::store::index::summary::VisitStatus;
use sitecheck::tui::review::{ReviewScreen, Tab};
use sitecheck::tui::theme::Theme;
use store_support::sitecheck;

/// What the test reads back from each reader: the counts, and each group's
/// (key, visits, passes + fails, compliance text).
#[derive(Debug, PartialEq)]
struct Figures {
    finished: u32,
    open: u32,
    abandoned: u32,
    damaged: u32,
    rushed: u32,
    compliance: String,
    /// `checklist target met measured`, in order.
    targets: Vec<String>,
}

fn pct(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

fn tab_figures(stats: &Stats) -> Figures {
    Figures {
        finished: stats.visits,
        open: stats.open,
        abandoned: stats.abandoned,
        damaged: stats.skipped,
        rushed: stats.rushed,
        compliance: pct(stats.compliance.rate()),
        targets: stats
            .checklists
            .iter()
            .flat_map(|c| {
                c.targets
                    .iter()
                    .map(move |t| format!("{} {} {} {}", c.id, t.target.name, t.met, t.measured))
            })
            .collect(),
    }
}

fn number_after(text: &str, before: &str) -> u32 {
    let at = text
        .find(before)
        .unwrap_or_else(|| panic!("no {before:?} in\n{text}"));
    text[at + before.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

fn number_before(text: &str, after: &str) -> u32 {
    let at = text
        .find(after)
        .unwrap_or_else(|| panic!("no {after:?} in\n{text}"));
    let digits: String = text[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.chars().rev().collect::<String>().parse().unwrap()
}

fn command_figures(out: &str) -> Figures {
    let overall = out.lines().find(|l| l.starts_with("Overall ")).unwrap();
    let targets_block = out
        .split("\nTargets\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    Figures {
        finished: number_after(out, "Compliance over "),
        open: number_before(out, " open, "),
        abandoned: number_before(out, " abandoned, "),
        damaged: number_before(out, " damaged"),
        rushed: number_before(overall, " rushed visit"),
        compliance: overall.split_whitespace().nth(1).unwrap().to_owned(),
        targets: targets_block
            .lines()
            .map(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                let met = number_before(line, " of ");
                let measured = number_before(line, " visits)");
                format!("{} {} {met} {measured}", words[0], words[1])
            })
            .collect(),
    }
}

/// The figure on the report's card named `name` (`data-figure`).
fn html_card(html: &str, name: &str) -> String {
    let start = html
        .find(&format!("data-figure=\"{name}\"><b>"))
        .unwrap_or_else(|| panic!("no card {name}"));
    let rest = &html[start..];
    let value = &rest[rest.find("<b>").unwrap() + 3..rest.find("</b>").unwrap()];
    value.to_owned()
}

fn html_figures(html: &str) -> Figures {
    let card = |name| html_card(html, name).parse::<u32>().unwrap();
    let targets_table = html
        .split("<h2 id=\"targets\">Targets</h2>")
        .nth(1)
        .unwrap();
    let targets_table = targets_table.split("</table>").next().unwrap();
    Figures {
        finished: card("finished"),
        open: card("open"),
        abandoned: card("abandoned"),
        damaged: card("damaged"),
        rushed: card("rushed"),
        compliance: html_card(html, "compliance"),
        targets: targets_table
            .split("<tr><td>")
            .skip(1)
            .map(|row| {
                let cells: Vec<&str> = row.split("</td>").collect();
                // The last cell: `412 of 520 visits`, as people read it.
                let last = cells[6].rsplit('>').next().unwrap();
                let (met, measured) = last.split_once(" of ").unwrap();
                let measured = measured.strip_suffix(" visits").unwrap();
                format!(
                    "{} {} {met} {measured}",
                    cells[0],
                    cells[1].trim_start_matches("<td>")
                )
            })
            .collect(),
    }
}

/// The groups of a table written by `sitecheck stats` under `heading`: key, visits,
/// compliance, failed, rushed.
fn command_groups(out: &str, heading: &str) -> Vec<(String, u32, String, u32, u32)> {
    let block = out
        .split(&format!("\n{heading}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("no {heading:?} in\n{out}"));
    block
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let n = words.len();
            (
                words[..n - 5].join(" "),
                words[n - 5].parse().unwrap(),
                words[n - 4].to_owned(),
                words[n - 2].parse().unwrap(),
                words[n - 1].parse().unwrap(),
            )
        })
        .collect()
}

fn tab_groups(groups: &[GroupStats]) -> Vec<(String, u32, String, u32, u32)> {
    labelled_groups(groups, &|key| key.to_owned())
}

/// The groups, each named as people read it (a choice field's option by its label).
fn labelled_groups(
    groups: &[GroupStats],
    label: &dyn Fn(&str) -> String,
) -> Vec<(String, u32, String, u32, u32)> {
    groups
        .iter()
        .map(|g| {
            (
                label(&g.key),
                g.visits,
                pct(g.compliance.rate()),
                g.failed_visits,
                g.rushed,
            )
        })
        .collect()
}

/// The stats tab of the review screen over both folders, every visit listed.
fn tab(dirs: &[PathBuf]) -> ReviewScreen {
    let store = open_store(
        dirs,
        &OpenOptions {
            thresholds: RushedThresholds::default(),
            use_cache: false,
        },
    );
    let mut screen = screen_of(store, Lang::En, Some("wang.supervisor"), Theme::new(true));
    screen.set_filters(None, None);
    screen.handle_key(key(KeyCode::Tab));
    assert_eq!(screen.tab, Tab::Stats);
    screen
}

#[test]
fn the_stats_tab_stats_and_the_html_report_agree_to_the_visit() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    generate(400, 3, &a);
    generate(250, 5, &b);
    assert_eq!(damage(&a, 4), 4);
    let dirs = vec![a.clone(), b.clone()];
    let data: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();

    let mut screen = tab(&dirs);
    let visits = &screen.store.visits;
    // The store has every kind of visit the figures must place.
    let has =
        |f: &dyn Fn(&sitecheck::store::index::summary::VisitSummary) -> bool| visits.iter().any(f);
    assert!(has(&|v| v.status == VisitStatus::Open));
    assert!(has(&|v| v.status == VisitStatus::Abandoned));
    assert!(has(&|v| v.was_amended()));
    assert!(has(&|v| !v.reviews.all.is_empty()));
    assert!(has(&|v| v.reviews.outdated));

    let tab_stats = screen.stats.clone().unwrap();
    let from_tab = tab_figures(&tab_stats);
    assert_eq!(from_tab.damaged, 4);
    assert!(from_tab.open > 0 && from_tab.abandoned > 0);
    assert_eq!(
        from_tab.finished + from_tab.open + from_tab.abandoned + from_tab.damaged,
        650,
        "every visit is counted or placed beside the figures"
    );

    let out = sitecheck(&data, &["stats"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(command_figures(&out.stdout), from_tab, "{}", out.stdout);
    assert_eq!(
        command_groups(&out.stdout, "By technician"),
        tab_groups(&tab_stats.technicians)
    );
    assert_eq!(
        command_groups(&out.stdout, "By week"),
        tab_groups(&tab_stats.weeks)
    );

    // This period against the one before: the same periods and counts.
    let comparison = screen.comparison.clone().unwrap();
    let (now, before) = (&comparison.current, &comparison.previous);
    let heading = format!(
        "This period ({} – {}) against the {} days before",
        now.from,
        now.until,
        comparison.days()
    );
    let block = out
        .stdout
        .split(&heading)
        .nth(1)
        .unwrap_or_else(|| panic!("{heading}\n{}", out.stdout));
    let row = |name: &str| -> Vec<String> {
        let line = block
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap();
        line.split_whitespace().skip(1).map(str::to_owned).collect()
    };
    assert_eq!(
        row("visits")[..2],
        [
            now.stats.visits.to_string(),
            before.stats.visits.to_string()
        ]
    );
    assert_eq!(
        row("rushed")[..2],
        [
            now.stats.rushed.to_string(),
            before.stats.rushed.to_string()
        ]
    );
    assert_eq!(row("compliance")[0], pct(now.stats.compliance.rate()));
    assert!(now.stats.visits > 0 && before.stats.visits > 0);

    let html = sitecheck(&data, &["export", "--format", "html"]);
    assert_eq!(html.code, 0, "{}", html.stderr);
    assert_eq!(html_figures(&html.stdout), from_tab);

    // Every breakdown, `b` in the tab against `--by` on the command line.
    let headings = [
        ("technician", "By technician"),
        ("checklist", "By checklist"),
        ("week", "By week"),
        ("month", "By month"),
        ("store", "By store"),
        ("field:visit_type", "By field visit_type"),
    ];
    for (by, heading) in headings {
        let want = By::parse(by).unwrap();
        for _ in 0..12 {
            if screen.by.as_ref() == Some(&want) {
                break;
            }
            screen.handle_key(review_support::ch('b'));
        }
        assert_eq!(screen.by.as_ref(), Some(&want), "`b` reaches {by}");
        let stats = screen.stats.clone().unwrap();
        let breakdown = stats.breakdown.as_ref().unwrap();
        let groups = &breakdown.groups;
        assert_eq!(
            groups.iter().map(|g| g.visits).sum::<u32>(),
            from_tab.finished,
            "{by}: the groups add up to the whole"
        );
        let out = sitecheck(&data, &["stats", "--by", by]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        // The last table is the breakdown (`By technician` is also always shown).
        let last = out.stdout.rfind(&format!("\n{heading}\n")).unwrap();
        assert_eq!(
            command_groups(&out.stdout[last..], heading),
            labelled_groups(groups, &|key| breakdown.label(key, "en").to_owned()),
            "--by {by}"
        );
        assert_eq!(command_figures(&out.stdout), from_tab, "--by {by}");
    }
    // A choice field's groups read as its options' labels.
    let out = sitecheck(&data, &["stats", "--by", "field:visit_type"]);
    assert!(
        out.stdout.contains("\n  Replacement of an old unit "),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("\n  replacement "), "{}", out.stdout);
    // Two folders, two groups by store.
    let out = sitecheck(&data, &["stats", "--by", "store"]);
    let last = out.stdout.rfind("\nBy store\n").unwrap();
    assert_eq!(command_groups(&out.stdout[last..], "By store").len(), 2);
}
