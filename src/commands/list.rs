//! `sitecheck list [filters] [--format table|json]`: the visits of the store, one a line
//! (or a JSON array), with everything the review list shows.

use std::io::Write;

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::export::json::visit_json;
use crate::lang::Lang;
use crate::log::integrity::IntegrityState;
use crate::log::review::Verdict;
use crate::review::filter::Filter;
use crate::store::index::summary::{VisitStatus, VisitSummary};
use crate::visit::VisitResult;

use super::table::{Column, write_fixed_row};
use crate::keys::{SealStatus, Trust};
use crate::present::seal_name;
use crate::present::strings::{EN, Strings, ZH_CN, strings};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

/// Writes the visits that pass the filter. `width` is the terminal's, when the table goes
/// to one: the least needed columns are left out until the rows fit. The table's words
/// follow `lang`; JSON, for programs, keeps its own.
pub fn list(
    visits: &[VisitSummary],
    trust: &Trust,
    filter: &Filter,
    format: ListFormat,
    lang: Lang,
    width: Option<usize>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let chosen = filter.apply(visits);
    match format {
        ListFormat::Json => {
            writeln!(out, "[")?;
            for (i, visit) in chosen.enumerate() {
                let sep = if i == 0 { "" } else { ",\n" };
                write!(out, "{sep}{}", named_json(visit, trust, lang.tag()))?;
            }
            writeln!(out, "\n]")
        }
        ListFormat::Table => table(chosen, trust, strings(lang), width, out),
    }
}

/// A visit as `list --format json` gives it: as the exports do, with its name (SPEC
/// section 4) just after its id.
fn named_json(visit: &VisitSummary, trust: &Trust, lang: &str) -> Value {
    let mut json = visit_json(visit, lang);
    if let Value::Object(members) = &mut json {
        members.shift_insert(1, "name".to_owned(), Value::from(visit.name()));
        let seal = trust.status(&visit.technician, visit.sealed_by.as_deref());
        members.insert("seal".to_owned(), Value::from(seal_name(&seal)));
    }
    json
}

/// The list's columns in `s`'s words, at fixed widths so 100,000 rows stream out without
/// being gathered. A column is as wide as its widest word in either language, so the
/// table keeps its shape whatever `--lang` says.
fn all_columns(s: &Strings) -> [Column; 13] {
    let widest = |least: usize, words: &dyn Fn(&Strings) -> Vec<&'static str>| {
        [&EN, &ZH_CN]
            .iter()
            .flat_map(|s| words(s))
            .map(UnicodeWidthStr::width)
            .fold(least, usize::max)
    };
    [
        Column::left(s.col_visit, 26),
        Column::left(s.col_started, 16),
        Column::left(s.col_technician, 14),
        Column::left(s.col_checklist, 18),
        // A work order, a customer's name, or a start time (16) whole.
        Column::left(s.col_name, 16),
        Column::right(s.col_duration, 8),
        Column::right(s.col_score, 5),
        Column::left(
            s.col_result,
            widest(9, &|s| {
                vec![s.pass, s.fail, s.open, s.abandoned, s.unreadable]
            }),
        ),
        Column::right(s.col_failed, widest(6, &|s| vec![s.col_failed])),
        Column::left(s.col_rushed, widest(6, &|s| vec![s.rushed])),
        Column::left(
            s.col_integrity,
            widest(9, &|s| {
                vec![s.integrity_ok, s.integrity_torn, s.integrity_damaged]
            }),
        ),
        Column::left(s.col_verdict, 20),
        Column::left(
            s.col_seal(),
            widest(8, &|s| {
                [
                    SealStatus::Trusted,
                    SealStatus::UnknownKey,
                    SealStatus::Unsealed { expected: true },
                ]
                .iter()
                .map(|status| s.seal_short(status))
                .collect()
            }),
        ),
    ]
}

/// The visit id's column: the first.
const ID: usize = 0;

/// Which columns go first when the terminal is narrow (indexes into `all_columns`).
const DROP_ORDER: [usize; 8] = [12, 5, 4, 8, 7, 3, 2, 1];

/// A visit id cut to this many characters still finds it (`show` takes a unique
/// beginning): the start time's ten and three random ones.
const SHORT_ID: usize = 13;

/// The columns kept for a terminal `width` wide (all of them when it is not known), with
/// their indexes into `all_columns`; the first one shows short ids when anything had to go.
fn kept_columns(s: &Strings, width: Option<usize>) -> Vec<(usize, Column)> {
    let all = all_columns(s);
    let mut kept: Vec<usize> = (0..all.len()).collect();
    let columns = |kept: &[usize], short: bool| -> Vec<(usize, Column)> {
        kept.iter()
            .filter_map(|&i| all.get(i).map(|c| (i, *c)))
            .map(|(i, c)| match (i == ID, short) {
                (true, true) => (i, Column::left(c.heading, SHORT_ID)),
                _ => (i, c),
            })
            .collect()
    };
    let used = |columns: &[(usize, Column)]| columns.iter().map(|(_, c)| c.max + 2).sum::<usize>();
    let Some(width) = width.filter(|w| used(&columns(&kept, false)) > w + 2) else {
        return columns(&kept, false);
    };
    for drop in DROP_ORDER {
        if used(&columns(&kept, true)) <= width + 2 {
            break;
        }
        kept.retain(|&i| i != drop);
    }
    columns(&kept, true)
}

fn table<'a>(
    visits: impl Iterator<Item = &'a VisitSummary>,
    trust: &Trust,
    s: &Strings,
    width: Option<usize>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let kept = kept_columns(s, width);
    let columns: Vec<Column> = kept.iter().map(|(_, c)| *c).collect();
    let pick = |cells: [String; 13]| -> Vec<String> {
        kept.iter()
            .filter_map(|&(i, c)| {
                let cell = cells.get(i)?;
                Some(match c.max {
                    SHORT_ID if i == ID => cell.get(..SHORT_ID).unwrap_or(cell).to_owned(),
                    _ => cell.clone(),
                })
            })
            .collect()
    };
    write_fixed_row(
        out,
        &columns,
        &pick(all_columns(s).map(|c| c.heading.to_owned())),
    )?;
    let mut count = 0usize;
    for visit in visits {
        write_fixed_row(out, &columns, &pick(row(visit, trust, s)))?;
        count += 1;
    }
    writeln!(out, "{}", s.visit_count(count))
}

/// One table row (sanitized when written).
fn row(v: &VisitSummary, trust: &Trust, s: &Strings) -> [String; 13] {
    let started = v
        .started_at
        .get(..16)
        .unwrap_or(&v.started_at)
        .replace('T', " ");
    let result = match (v.status, v.result) {
        (VisitStatus::Finished, Some(VisitResult::Pass)) => s.pass,
        (VisitStatus::Finished, Some(VisitResult::Fail)) => s.fail,
        (VisitStatus::Finished, None) => s.finished,
        (VisitStatus::Open, _) => s.open,
        (VisitStatus::Abandoned, _) => s.abandoned,
        (VisitStatus::Unreadable, _) => s.unreadable,
    };
    let integrity = match v.integrity.state() {
        IntegrityState::Clean => s.integrity_ok,
        IntegrityState::Torn => s.integrity_torn,
        IntegrityState::Damaged => s.integrity_damaged,
    };
    [
        v.id.clone(),
        started,
        v.technician.clone(),
        if v.checklist.id.is_empty() {
            "?".into()
        } else {
            v.checklist.id.clone()
        },
        v.name(),
        s.duration(v.duration_ms),
        v.score
            .map_or_else(String::new, |score| format!("{:.0}%", score * 100.0)),
        result.to_owned(),
        if v.failed > 0 {
            v.failed.to_string()
        } else {
            String::new()
        },
        if v.rushed {
            s.rushed.into()
        } else {
            String::new()
        },
        integrity.to_owned(),
        verdict_cell(v, s),
        s.seal_short(&trust.status(&v.technician, v.sealed_by.as_deref()))
            .to_owned(),
    ]
}

/// The verdict in the table: `approved`, `follow_up (outdated)` ... in the UI language.
fn verdict_cell(v: &VisitSummary, s: &Strings) -> String {
    let word = match v.verdict() {
        None => return String::new(),
        Some(Verdict::Approved) => s.approved,
        Some(Verdict::FollowUp) => s.follow_up,
        Some(Verdict::Rejected) => s.rejected,
    };
    if v.reviews.outdated {
        format!("{word}{}", s.outdated)
    } else {
        word.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_terminals_keep_the_columns_that_matter() {
        for s in [&EN, &ZH_CN] {
            assert_eq!(kept_columns(s, None).len(), 13);
            assert_eq!(kept_columns(s, Some(400)).len(), 13);
            let at_80 = kept_columns(s, Some(80));
            let width: usize = at_80.iter().map(|(_, c)| c.max + 2).sum::<usize>() - 2;
            assert!(width <= 80, "{width}");
            let kept: Vec<usize> = at_80.iter().map(|(i, _)| *i).collect();
            // The id (to `show` it), when, the score, the rushed flag, integrity and verdict stay.
            for needed in [ID, 1, 6, 9, 10, 11] {
                assert!(kept.contains(&needed), "{kept:?}");
            }
            assert_eq!(at_80[0].1.max, SHORT_ID);
        }
    }

    #[test]
    fn the_words_fit_their_columns_in_both_languages() {
        for s in [&EN, &ZH_CN] {
            for column in all_columns(s) {
                assert!(column.heading.width() <= column.max, "{}", column.heading);
            }
            let widths = all_columns(s).map(|c| c.max);
            assert!(s.duration(36_000_000 - 1).width() <= widths[5]);
            assert!(s.integrity_torn.width() <= widths[10]);
            assert!(format!("{}{}", s.follow_up, s.outdated).width() <= widths[11]);
        }
    }
}
