//! `sitecheck show <VISIT>`: one visit, every answer, as text, JSON, Markdown or an HTML sheet.

use std::io::Write;

use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

use crate::checklist::Item;
use crate::lang::Lang;
use crate::present::evidence_words::{evidence_change, evidence_label, evidence_missing};
use crate::present::sanitize;
use crate::store::read::LoadedVisit;
use crate::visit::{AnswerValue, Outcome, Status};

use crate::present::strings::{Strings, strings};

use super::show_reviews;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
    Md,
    /// One visit's printable sheet.
    Html,
}

/// One row per item: everything `show` prints about it.
struct ItemRow {
    section: String,
    id: String,
    prompt: String,
    visible: bool,
    /// Visible, required and unanswered.
    missing: bool,
    value: Option<String>,
    raw: Option<Value>,
    outcome: Option<Outcome>,
    note: Option<String>,
    at: Option<String>,
    evidence: Vec<crate::visit::Attachment>,
    /// Answered, but the evidence its `evidence:` asks for is not attached.
    evidence_missing: bool,
}

fn rows(visit: &LoadedVisit, lang: Lang) -> Vec<ItemRow> {
    let s = strings(lang);
    let tag = lang.tag();
    let default = visit.checklist.default_language();
    visit
        .checklist
        .items()
        .zip(&visit.eval.items)
        .map(|((section, item), status)| {
            let state = visit.state.answers.get(&item.id);
            let value = state.and_then(|st| st.value.as_ref());
            ItemRow {
                section: visit
                    .checklist
                    .text(&visit.checklist.sections[section].title, tag)
                    .to_owned(),
                id: item.id.clone(),
                prompt: visit.checklist.text(&item.prompt, tag).to_owned(),
                visible: status.visible,
                missing: status.missing,
                value: value.map(|v| answer_text(item, v, tag, default, s)),
                raw: value.map(|v| v.to_json()),
                outcome: status.outcome,
                note: state.and_then(|st| st.note.clone()),
                at: state.and_then(|st| st.answered_at.clone()),
                evidence: state.map(|st| st.evidence.clone()).unwrap_or_default(),
                evidence_missing: status.evidence_missing,
            }
        })
        .collect()
}

/// An answer as a person reads it, in the UI language (as the screens show it).
fn answer_text(
    item: &Item,
    value: &AnswerValue,
    tag: &str,
    default: Option<&str>,
    s: &Strings,
) -> String {
    let words = crate::present::AnswerWords {
        done: s.done,
        pass: s.pass,
        fail: s.fail,
        yes: s.yes,
        no: s.no,
        na: s.na_answer,
        list_separator: s.list_separator,
    };
    crate::present::answer_text(item, value, tag, default, &words)
}

pub fn show(
    visit: &LoadedVisit,
    reviews: &[crate::log::review::Review],
    files: &crate::export::html::thumbs::ShownFiles,
    format: ShowFormat,
    lang: Lang,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let trail = show_reviews::shown(visit, reviews);
    match format {
        ShowFormat::Json => {
            let mut json = as_json(visit, lang);
            if let Some(object) = json.as_object_mut() {
                object.insert("reviews".into(), show_reviews::as_json(&trail));
            }
            let text = serde_json::to_string_pretty(&json).map_err(std::io::Error::other)?;
            writeln!(out, "{text}")
        }
        ShowFormat::Text => {
            show_text(visit, strings(lang), out)?;
            show_reviews::write_text(&trail, lang, out)
        }
        ShowFormat::Html => {
            let sheet = crate::export::html::sheet::sheet(visit, reviews, files, lang);
            out.write_all(sheet.as_bytes())
        }
        ShowFormat::Md => {
            show_markdown(visit, strings(lang), out)?;
            show_reviews::write_markdown(&trail, lang, out)
        }
    }
}

fn status_line(visit: &LoadedVisit, s: &Strings) -> String {
    match &visit.state.status {
        Status::Open => s.open.into(),
        Status::Finished { at } => s.finished_at(&sanitize(at)),
        Status::Abandoned { at, reason } => s.abandoned_at(&sanitize(at), &sanitize(reason)),
    }
}

/// What is wrong with the log, a line each (nothing when it verifies): the one verdict.
fn integrity(visit: &LoadedVisit, s: &Strings) -> Vec<String> {
    let mut lines: Vec<String> = visit
        .integrity
        .problems
        .iter()
        .map(|p| s.line_problem(p, &visit.problems))
        .collect();
    if let Some(torn) = &visit.torn {
        lines.push(format!("warning: {}", s.torn(torn)));
    }
    lines
}

/// A label at the start of a line, padded to 12 columns (by display width: a Chinese
/// label lines up with an English one).
fn label(text: &str) -> String {
    format!(
        "{text}{}",
        " ".repeat(12usize.saturating_sub(text.width()).max(1))
    )
}

fn show_text(visit: &LoadedVisit, s: &Strings, out: &mut dyn Write) -> std::io::Result<()> {
    let c = &visit.checklist;
    let st = &visit.state;
    let tag = s.lang.tag();
    writeln!(
        out,
        "{}{}  ({})",
        label(s.visit),
        sanitize(&st.visit),
        status_line(visit, s)
    )?;
    writeln!(
        out,
        "{}{} v{} — {}",
        label(s.checklist),
        sanitize(&c.id),
        sanitize(&c.version),
        sanitize(c.text(&c.title, tag))
    )?;
    writeln!(
        out,
        "{}{}",
        label(s.technician),
        s.technician_on(&sanitize(&st.technician), &sanitize(&st.host))
    )?;
    writeln!(out, "{}{}", label(s.started), sanitize(&st.started_at))?;
    for field in &c.visit_fields {
        if let Some(value) = st.field_text(&field.id) {
            writeln!(
                out,
                "  {}{}{}",
                sanitize(c.text(&field.label, tag)),
                s.colon,
                sanitize(c.field_value_text(&field.id, &value, tag))
            )?;
        }
    }
    let eval = &visit.eval;
    let score = eval
        .score
        .map_or("—".into(), |score| format!("{:.1}%", score * 100.0));
    writeln!(
        out,
        "{}{}  {} {score}  {} {}  {} {}  {} {}  {} {}",
        label(s.result),
        result_word(visit, s).to_uppercase(),
        s.score,
        s.passed,
        eval.passed,
        s.failed,
        eval.failed,
        s.na,
        eval.na,
        s.missing,
        eval.missing_count()
    )?;
    let problems = integrity(visit, s);
    if problems.is_empty() {
        writeln!(out, "{}{}", label(s.integrity), s.hash_chain_verified)?;
    } else {
        for p in problems {
            writeln!(out, "{}{}", label(s.integrity), sanitize(&p))?;
        }
    }
    for (name, value) in trust_lines(visit, s) {
        writeln!(out, "{}{value}", label(name))?;
    }
    let mut section = String::new();
    for row in rows(visit, s.lang) {
        if row.section != section {
            writeln!(out, "\n[{}]", sanitize(&row.section))?;
            section = row.section.clone();
        }
        let symbol = match (row.visible, row.outcome) {
            (false, _) => "  ",
            (_, Some(Outcome::Pass)) => "✓ ",
            (_, Some(Outcome::Fail)) => "✗ ",
            (_, Some(Outcome::Na)) => "– ",
            (_, Some(Outcome::Info)) => "• ",
            (_, None) if row.missing => "○ ",
            (_, None) => "· ",
        };
        let value = match (&row.value, row.visible) {
            (_, false) => s.hidden.to_owned(),
            (Some(v), _) => v.clone(),
            (None, _) => "—".to_owned(),
        };
        let at = row
            .at
            .as_deref()
            .map(|a| format!("  [{}]", sanitize(a)))
            .unwrap_or_default();
        writeln!(
            out,
            "{symbol}{}  {}{}{}{at}",
            sanitize(&row.id),
            sanitize(&row.prompt),
            s.colon,
            sanitize(&value)
        )?;
        if let Some(note) = &row.note {
            writeln!(out, "    {}{}{}", s.note, s.colon, sanitize(note))?;
        }
        for file in &row.evidence {
            writeln!(
                out,
                "    {}{}{}",
                evidence_label(s.lang),
                s.colon,
                attachment_text(file)
            )?;
        }
        if row.evidence_missing {
            writeln!(out, "    {}", evidence_missing(s.lang))?;
        }
    }
    if !st.amendments.is_empty() {
        writeln!(out, "\n{}", s.amendments)?;
        for a in &st.amendments {
            writeln!(out, "  {}", amendment_line(a, s))?;
        }
    }
    Ok(())
}

/// An attachment in words: its name, size and the start of its hash (sanitised).
fn attachment_text(file: &crate::visit::Attachment) -> String {
    format!(
        "{} ({}, sha256 {}…)",
        sanitize(&file.name),
        crate::visit::size_text(file.size),
        file.sha256.get(..12).unwrap_or(&file.sha256)
    )
}

/// One amendment in words, sanitised: when, what changed (or that it answers the
/// supervisor), the reason, the note it gave, and who made it.
fn amendment_line(a: &crate::visit::Amendment, s: &Strings) -> String {
    use crate::visit::EvidenceChange;
    let what = match (&a.item, &a.evidence) {
        (Some(item), Some(EvidenceChange::Attached(file))) => format!(
            "{}: {}",
            sanitize(item),
            evidence_change(true, &file.name, s.lang)
        ),
        (Some(item), Some(EvidenceChange::Detached { name, .. })) => {
            format!(
                "{}: {}",
                sanitize(item),
                evidence_change(false, name, s.lang)
            )
        }
        (Some(item), None) => format!("{} = {}", sanitize(item), sanitize(&a.value.to_string())),
        (None, _) => s.answer_to_supervisor().to_owned(),
    };
    let note = a
        .note
        .as_deref()
        .map(|n| format!(" ({}{}{})", s.note, s.colon, sanitize(n)))
        .unwrap_or_default();
    format!(
        "{} {what} — {}{note} · {}",
        sanitize(&a.at),
        sanitize(&a.reason),
        sanitize(&s.amended_by(a.technician.as_deref(), a.host.as_deref()))
    )
}

/// The result in the UI language: pass or fail, or for an open visit with something
/// required missing, "incomplete" or "fail (so far)" — never a pass before the end.
fn result_word(visit: &LoadedVisit, s: &Strings) -> String {
    use crate::visit::ShownResult;
    match visit.eval.result_so_far(visit.state.status.is_open()) {
        ShownResult::Pass => s.pass.to_owned(),
        ShownResult::Fail => s.fail.to_owned(),
        ShownResult::FailSoFar => format!("{} ({})", s.fail, s.so_far),
        ShownResult::Incomplete => s.incomplete.to_owned(),
    }
}

fn outcome_word(outcome: Outcome, s: &Strings) -> &'static str {
    match outcome {
        Outcome::Pass => s.pass,
        Outcome::Fail => s.fail,
        Outcome::Na => s.outcome_na,
        Outcome::Info => s.info,
    }
}

fn show_markdown(visit: &LoadedVisit, s: &Strings, out: &mut dyn Write) -> std::io::Result<()> {
    let c = &visit.checklist;
    let st = &visit.state;
    let tag = s.lang.tag();
    let cell = |t: &str| sanitize(t).replace('|', "\\|");
    let item = |name: &str, value: &str| format!("- {name}{}{value}", s.colon);
    writeln!(
        out,
        "# {} — {}\n",
        cell(c.text(&c.title, tag)),
        cell(&st.visit)
    )?;
    writeln!(out, "{}", item(s.status, &cell(&status_line(visit, s))))?;
    writeln!(
        out,
        "{}",
        item(
            s.checklist,
            &format!("{} v{}", cell(&c.id), cell(&c.version))
        )
    )?;
    writeln!(out, "{}", item(s.technician, &cell(&st.technician)))?;
    writeln!(out, "{}", item(s.started, &cell(&st.started_at)))?;
    for field in &c.visit_fields {
        if let Some(value) = st.field_text(&field.id) {
            writeln!(
                out,
                "{}",
                item(
                    &cell(c.text(&field.label, tag)),
                    &cell(c.field_value_text(&field.id, &value, tag))
                )
            )?;
        }
    }
    let score = visit
        .eval
        .score
        .map_or("—".into(), |score| format!("{:.1}%", score * 100.0));
    writeln!(out, "{}", s.md_result(&result_word(visit, s), &score))?;
    let problems = integrity(visit, s);
    let integrity = if problems.is_empty() {
        s.integrity_ok.to_owned()
    } else {
        cell(&problems.join("; "))
    };
    writeln!(out, "{}", item(s.integrity, &integrity))?;
    for (name, value) in trust_lines(visit, s) {
        writeln!(out, "{}", item(name, &cell(&value)))?;
    }
    writeln!(
        out,
        "\n| {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|",
        s.section,
        s.item,
        s.answer,
        s.outcome,
        s.note,
        evidence_label(s.lang),
        s.answered_at
    )?;
    for row in rows(visit, s.lang).into_iter().filter(|r| r.visible) {
        let mut files: Vec<String> = row.evidence.iter().map(attachment_text).collect();
        if row.evidence_missing {
            files.push(evidence_missing(s.lang).to_owned());
        }
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell(&row.section),
            cell(&row.prompt),
            cell(row.value.as_deref().unwrap_or("—")),
            row.outcome.map_or("", |o| outcome_word(o, s)),
            cell(row.note.as_deref().unwrap_or("")),
            cell(&files.join("; ")),
            cell(row.at.as_deref().unwrap_or(""))
        )?;
    }
    if !st.amendments.is_empty() {
        writeln!(out, "\n## {}\n", s.amendments)?;
        for a in &st.amendments {
            writeln!(out, "- {}", amendment_line(a, s).replace('|', "\\|"))?;
        }
    }
    Ok(())
}

/// The receipt the customer holds and what the seal says: (label, value).
fn trust_lines(visit: &LoadedVisit, s: &Strings) -> Vec<(&'static str, String)> {
    let mut lines = Vec::new();
    if let Some(receipt) = &visit.receipt {
        lines.push((s.receipt_label(), receipt.clone()));
    }
    if let Some(seal) = &visit.seal {
        let technician = sanitize(&visit.state.technician);
        lines.push((s.seal_label(), s.seal_status(seal, &technician)));
    }
    lines
}

fn as_json(visit: &LoadedVisit, lang: Lang) -> Value {
    let st = &visit.state;
    let items: Vec<Value> = rows(visit, lang)
        .into_iter()
        .map(|r| {
            json!({
                "section": r.section, "item": r.id, "prompt": r.prompt, "visible": r.visible,
                "value": r.raw, "outcome": r.outcome.map(|o| o.name()), "note": r.note, "answered_at": r.at,
                "evidence": r.evidence.iter().map(crate::visit::Attachment::to_json).collect::<Vec<_>>(),
                "evidence_missing": r.evidence_missing,
            })
        })
        .collect();
    let (finished_at, abandoned) = match &st.status {
        Status::Finished { at } => (Some(at.clone()), None),
        Status::Abandoned { at, reason } => (Some(at.clone()), Some(reason.clone())),
        Status::Open => (None, None),
    };
    json!({
        "visit": st.visit,
        "status": st.status.name(),
        "checklist": { "id": visit.checklist.id, "version": visit.checklist.version, "sha256": visit.checklist.sha256 },
        "technician": st.technician,
        "host": st.host,
        "started_at": st.started_at,
        "closed_at": finished_at,
        "abandon_reason": abandoned,
        "fields": st.fields,
        "score": visit.eval.score,
        "result": visit.eval.result.name(),
        "passed": visit.eval.passed, "failed": visit.eval.failed, "na": visit.eval.na,
        "missing": visit.eval.missing_count(),
        // For programs: in English whatever --lang says, as the log reader words it.
        "integrity": {
            "state": visit.integrity.state().name(),
            "problems": integrity(visit, &crate::present::strings::EN),
        },
        "receipt": visit.receipt,
        "sealed_by": visit.sealed_by,
        "seal": visit.seal.as_ref().map(|seal| crate::present::strings::EN.seal_status(seal, &st.technician)),
        "items": items,
        "amendments": st.amendments.iter().map(amendment_json).collect::<Vec<_>>(),
    })
}

fn amendment_json(a: &crate::visit::Amendment) -> Value {
    use crate::visit::EvidenceChange;
    let mut json = json!({"item": a.item, "value": a.value, "note": a.note, "reason": a.reason, "technician": a.technician, "host": a.host, "at": a.at});
    let change = match &a.evidence {
        Some(EvidenceChange::Attached(file)) => Some(json!({"attached": file.to_json()})),
        Some(EvidenceChange::Detached { sha256, name }) => {
            Some(json!({"detached": {"sha256": sha256, "name": name}}))
        }
        None => None,
    };
    if let (Some(object), Some(change)) = (json.as_object_mut(), change) {
        object.insert("evidence".into(), change);
    }
    json
}
