//! One visit's printable sheet (`show --format html`): the header (choice fields by their
//! labels), result and score, receipt code, seal status, the integrity verdict, every
//! answer with its outcome, note and time, the amendments (who, when, why) and the whole
//! review trail. Escaped, no script, every word in the UI language.

use std::fmt::Write as _;

use serde_json::Value;

use crate::checklist::Item;
use crate::lang::Lang;
use crate::log::review::{Review, Verdict};
use crate::present::AnswerWords;
use crate::present::strings::{Strings, strings};
use crate::store::read::LoadedVisit;
use crate::visit::{AnswerValue, Outcome, ShownResult, Status};

use super::thumbs::{ShownFiles, figures};
use super::words::{Words, words};
use super::{esc, page_start, pct};

/// The sheet of `visit` with its `reviews` (oldest first), in `lang`.
pub fn sheet(visit: &LoadedVisit, reviews: &[Review], files: &ShownFiles, lang: Lang) -> String {
    let (s, w) = (strings(lang), words(lang));
    let c = &visit.checklist;
    let tag = lang.tag();
    let title = c.text(&c.title, tag);
    let mut html = String::with_capacity(16 * 1024);
    page_start(
        &mut html,
        lang,
        &format!("{} {}", w.sheet_title, visit.state.visit),
    );
    let _ = writeln!(
        html,
        "<section class=\"sheet\">\n<h1>{} — {}</h1>\n<p class=\"meta\">{}</p>",
        esc(w.sheet_title),
        esc(title),
        esc(&visit.state.visit)
    );
    header(&mut html, visit, s, w);
    answers(&mut html, visit, files, s, w);
    amendments(&mut html, visit, s, w);
    review_trail(&mut html, visit, reviews, w);
    html.push_str("</section>\n</body>\n</html>\n");
    html
}

fn row(html: &mut String, label: &str, value: &str) {
    let _ = writeln!(html, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(value));
}

fn header(html: &mut String, visit: &LoadedVisit, s: &Strings, w: &Words) {
    let c = &visit.checklist;
    let st = &visit.state;
    let tag = s.lang.tag();
    let _ = writeln!(html, "<h2>{}</h2>\n<dl>", esc(w.header));
    row(html, s.visit, &st.visit);
    let status = match &st.status {
        Status::Open => s.open.to_owned(),
        Status::Finished { at } => s.finished_at(at),
        Status::Abandoned { at, reason } => s.abandoned_at(at, reason),
    };
    row(html, w.status, &status);
    row(
        html,
        s.checklist,
        &format!("{} v{} — {}", c.id, c.version, c.text(&c.title, tag)),
    );
    row(
        html,
        s.technician,
        &s.technician_on(&st.technician, &st.host),
    );
    row(html, s.started, &st.started_at);
    for field in &c.visit_fields {
        if let Some(value) = st.field_text(&field.id) {
            row(
                html,
                c.text(&field.label, tag),
                c.field_value_text(&field.id, &value, tag),
            );
        }
    }
    let e = &visit.eval;
    row(
        html,
        w.result,
        &format!(
            "{} · {} {} · {} {} · {} {} · {} {} · {} {}",
            result_word(visit, s).to_uppercase(),
            s.score,
            pct(e.score),
            s.passed,
            e.passed,
            s.failed,
            e.failed,
            s.na,
            e.na,
            s.missing,
            e.missing_count()
        ),
    );
    row(
        html,
        s.receipt_label(),
        visit.receipt.as_deref().unwrap_or("—"),
    );
    let seal = visit.seal.as_ref().map_or_else(
        || w.not_judged.to_owned(),
        |seal| s.seal_status(seal, &st.technician),
    );
    row(html, s.seal_label(), &seal);
    let mut problems: Vec<String> = visit
        .integrity
        .problems
        .iter()
        .map(|p| s.line_problem(p, &visit.problems))
        .collect();
    if let Some(torn) = &visit.torn {
        problems.push(s.torn(torn));
    }
    let integrity = if problems.is_empty() {
        s.hash_chain_verified.to_owned()
    } else {
        problems.join("; ")
    };
    row(html, s.integrity, &integrity);
    html.push_str("</dl>\n");
}

/// The result in the UI language; never a pass before the end.
fn result_word(visit: &LoadedVisit, s: &Strings) -> String {
    match visit.eval.result_so_far(visit.state.status.is_open()) {
        ShownResult::Pass => s.pass.to_owned(),
        ShownResult::Fail => s.fail.to_owned(),
        ShownResult::FailSoFar => format!("{} ({})", s.fail, s.so_far),
        ShownResult::Incomplete => s.incomplete.to_owned(),
    }
}

fn answer_words(s: &Strings) -> AnswerWords<'static> {
    AnswerWords {
        done: s.done,
        pass: s.pass,
        fail: s.fail,
        yes: s.yes,
        no: s.no,
        na: s.na_answer,
        list_separator: s.list_separator,
    }
}

fn answer_text(visit: &LoadedVisit, item: &Item, value: &AnswerValue, s: &Strings) -> String {
    let default = visit.checklist.default_language();
    crate::present::answer_text(item, value, s.lang.tag(), default, &answer_words(s))
}

fn outcome(outcome: Option<Outcome>, s: &Strings) -> (&'static str, String) {
    match outcome {
        Some(Outcome::Pass) => ("ok", format!("✓ {}", s.pass)),
        Some(Outcome::Fail) => ("bad", format!("✗ {}", s.fail)),
        Some(Outcome::Na) => ("", format!("– {}", s.outcome_na)),
        Some(Outcome::Info) => ("", format!("• {}", s.info)),
        None => ("", "—".to_owned()),
    }
}

fn answers(html: &mut String, visit: &LoadedVisit, files: &ShownFiles, s: &Strings, w: &Words) {
    let c = &visit.checklist;
    let tag = s.lang.tag();
    let _ = writeln!(
        html,
        "<h2>{}</h2>\n<table>\n<colgroup><col style=\"width:34%\"><col style=\"width:22%\"><col style=\"width:12%\"><col style=\"width:18%\"><col style=\"width:14%\"></colgroup>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        esc(w.answers),
        esc(w.item),
        esc(w.answer),
        esc(w.outcome),
        esc(w.note),
        esc(w.answered_at)
    );
    let mut section = None;
    for ((index, item), status) in c.items().zip(&visit.eval.items) {
        if !status.visible {
            continue;
        }
        if section != Some(index) {
            section = Some(index);
            let title = c
                .sections
                .get(index)
                .map_or("", |sec| c.text(&sec.title, tag));
            let _ = writeln!(
                html,
                "<tr class=\"section\"><th colspan=\"5\">{}</th></tr>",
                esc(title)
            );
        }
        let state = visit.state.answers.get(&item.id);
        let value = state
            .and_then(|st| st.value.as_ref())
            .map_or_else(|| "—".to_owned(), |v| answer_text(visit, item, v, s));
        let (class, outcome) = outcome(status.outcome, s);
        let at = state
            .and_then(|st| st.answered_at.as_deref())
            .map(|a| a.get(..19).unwrap_or(a).replace('T', " "))
            .unwrap_or_default();
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td class=\"{class}\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(c.text(&item.prompt, tag)),
            esc(&value),
            esc(&outcome),
            esc(state.and_then(|st| st.note.as_deref()).unwrap_or("")),
            esc(&at)
        );
        let attached = state.map_or(&[][..], |st| st.evidence.as_slice());
        if !attached.is_empty() || status.evidence_missing {
            html.push_str("<tr class=\"files\"><td colspan=\"5\">");
            figures(html, attached, files, w);
            if status.evidence_missing {
                let missing = crate::present::evidence_words::evidence_missing(s.lang);
                let _ = write!(html, "<span class=\"bad\">{}</span>", esc(missing));
            }
            html.push_str("</td></tr>\n");
        }
    }
    html.push_str("</tbody>\n</table>\n");
}

fn amendments(html: &mut String, visit: &LoadedVisit, s: &Strings, w: &Words) {
    let list = &visit.state.amendments;
    if list.is_empty() {
        return;
    }
    let c = &visit.checklist;
    let tag = s.lang.tag();
    let _ = writeln!(
        html,
        "<h2>{}</h2>\n<table>\n<colgroup><col style=\"width:16%\"><col style=\"width:16%\"><col style=\"width:22%\"><col style=\"width:18%\"><col style=\"width:28%\"></colgroup>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        esc(w.amendments),
        esc(w.amended_at),
        esc(w.amended_by),
        esc(w.item),
        esc(w.answer),
        esc(w.reason)
    );
    for a in list {
        let item = a
            .item
            .as_deref()
            .and_then(|id| c.items().map(|(_, i)| i).find(|i| i.id == id));
        let what = match (&a.item, item) {
            (None, _) => s.answer_to_supervisor().to_owned(),
            (Some(_), Some(item)) => c.text(&item.prompt, tag).to_owned(),
            (Some(id), None) => id.clone(),
        };
        let value = match (&a.evidence, item) {
            (Some(change), _) => evidence_change_text(change, s),
            (None, Some(item)) => AnswerValue::from_json(item, &a.value)
                .map(|v| answer_text(visit, item, &v, s))
                .unwrap_or_else(|_| json_text(&a.value)),
            (None, None) => json_text(&a.value),
        };
        let note = a
            .note
            .as_deref()
            .map(|n| format!(" ({}{}{n})", s.note, s.colon))
            .unwrap_or_default();
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&a.at.get(..19).unwrap_or(&a.at).replace('T', " ")),
            esc(&s.amended_by(a.technician.as_deref(), a.host.as_deref())),
            esc(&what),
            esc(&format!("{value}{note}")),
            esc(&a.reason)
        );
    }
    html.push_str("</tbody>\n</table>\n");
}

/// What an evidence change after close did, in words.
fn evidence_change_text(change: &crate::visit::EvidenceChange, s: &Strings) -> String {
    use crate::present::evidence_words::evidence_change;
    match change {
        crate::visit::EvidenceChange::Attached(file) => evidence_change(true, &file.name, s.lang),
        crate::visit::EvidenceChange::Detached { name, .. } => evidence_change(false, name, s.lang),
    }
}

/// A JSON value as text: a string without its quotes, nothing for null.
fn json_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn review_trail(html: &mut String, visit: &LoadedVisit, reviews: &[Review], w: &Words) {
    let _ = writeln!(html, "<h2 id=\"reviews\">{}</h2>", esc(w.reviews));
    if reviews.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", esc(w.not_reviewed));
        return;
    }
    let _ = writeln!(
        html,
        "<table>\n<colgroup><col style=\"width:17%\"><col style=\"width:15%\"><col style=\"width:14%\"><col style=\"width:16%\"><col style=\"width:38%\"></colgroup>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        esc(w.at),
        esc(w.reviewer),
        esc(w.verdict),
        esc(w.item),
        esc(w.comment)
    );
    // A review made against another last line than the log's is outdated (as `show` says).
    let last = visit.events.last().map(|e| e.hash.as_str());
    let c = &visit.checklist;
    for review in reviews {
        let outdated = last.is_some_and(|hash| hash != review.visit_hash);
        let (class, verdict) = match review.verdict {
            Verdict::Approved => ("ok", w.approved),
            Verdict::FollowUp => ("bad", w.follow_up),
            Verdict::Rejected => ("bad", w.rejected),
        };
        let verdict = if outdated {
            format!("{verdict} ({})", w.outdated)
        } else {
            verdict.to_owned()
        };
        let item = review.item.as_deref().map_or_else(
            || w.whole_visit.to_owned(),
            |id| {
                c.items().map(|(_, i)| i).find(|i| i.id == id).map_or_else(
                    || id.to_owned(),
                    |i| c.text(&i.prompt, w.lang.tag()).to_owned(),
                )
            },
        );
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td class=\"{class}\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&review.at.get(..19).unwrap_or(&review.at).replace('T', " ")),
            esc(&review.reviewer),
            esc(&verdict),
            esc(&item),
            esc(&review.comment)
        );
    }
    html.push_str("</tbody>\n</table>\n");
}
