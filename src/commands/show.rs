//! `sitecheck show <VISIT>`: one visit, every answer, as text, JSON or Markdown.

use std::io::Write;

use serde_json::{Value, json};

use crate::lang::Lang;
use crate::store::read::LoadedVisit;
use crate::tui::run::editor::show_value;
use crate::tui::strings::strings;
use crate::tui::text::sanitize;
use crate::visit::{Outcome, Status};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
    Md,
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
                value: value.map(|v| show_value(item, v, tag, default, s)),
                raw: value.map(|v| v.to_json()),
                outcome: status.outcome,
                note: state.and_then(|st| st.note.clone()),
                at: state.and_then(|st| st.answered_at.clone()),
            }
        })
        .collect()
}

pub fn show(
    visit: &LoadedVisit,
    format: ShowFormat,
    lang: Lang,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        ShowFormat::Json => {
            let text = serde_json::to_string_pretty(&as_json(visit, lang))
                .map_err(std::io::Error::other)?;
            writeln!(out, "{text}")
        }
        ShowFormat::Text => show_text(visit, lang, out),
        ShowFormat::Md => show_markdown(visit, lang, out),
    }
}

fn status_line(visit: &LoadedVisit) -> String {
    match &visit.state.status {
        Status::Open => "open".into(),
        Status::Finished { at } => format!("finished {at}"),
        Status::Abandoned { at, reason } => format!("abandoned {at}: {}", sanitize(reason)),
    }
}

fn integrity(visit: &LoadedVisit) -> Vec<String> {
    let mut lines: Vec<String> = visit.log.problems.iter().map(|p| p.to_string()).collect();
    if let Some(torn) = &visit.log.torn {
        lines.push(format!("warning: {torn}"));
    }
    lines
}

fn show_text(visit: &LoadedVisit, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let c = &visit.checklist;
    let st = &visit.state;
    let tag = lang.tag();
    writeln!(out, "Visit       {}  ({})", st.visit, status_line(visit))?;
    writeln!(
        out,
        "Checklist   {} v{} — {}",
        c.id,
        c.version,
        sanitize(c.text(&c.title, tag))
    )?;
    writeln!(
        out,
        "Technician  {} on {}",
        sanitize(&st.technician),
        sanitize(&st.host)
    )?;
    writeln!(out, "Started     {}", st.started_at)?;
    for field in &c.visit_fields {
        if let Some(value) = st.field_text(&field.id) {
            writeln!(
                out,
                "  {}: {}",
                sanitize(c.text(&field.label, tag)),
                sanitize(&value)
            )?;
        }
    }
    let eval = &visit.eval;
    let score = eval
        .score
        .map_or("—".into(), |s| format!("{:.1}%", s * 100.0));
    writeln!(
        out,
        "Result      {}  score {score}  passed {}  failed {}  n/a {}  missing {}",
        eval.result.name().to_uppercase(),
        eval.passed,
        eval.failed,
        eval.na,
        eval.missing_count()
    )?;
    let problems = integrity(visit);
    if problems.is_empty() {
        writeln!(out, "Integrity   ok (hash chain verified)")?;
    } else {
        for p in problems {
            writeln!(out, "Integrity   {p}")?;
        }
    }
    let mut section = String::new();
    for row in rows(visit, lang) {
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
            (_, false) => "(hidden)".to_owned(),
            (Some(v), _) => v.clone(),
            (None, _) => "—".to_owned(),
        };
        let at = row
            .at
            .as_deref()
            .map(|a| format!("  [{a}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "{symbol}{}  {}: {}{at}",
            row.id,
            sanitize(&row.prompt),
            sanitize(&value)
        )?;
        if let Some(note) = &row.note {
            writeln!(out, "    note: {}", sanitize(note))?;
        }
    }
    if !st.amendments.is_empty() {
        writeln!(out, "\nAmendments")?;
        for a in &st.amendments {
            writeln!(
                out,
                "  {} {} = {} — {}",
                a.at,
                a.item,
                a.value,
                sanitize(&a.reason)
            )?;
        }
    }
    Ok(())
}

fn show_markdown(visit: &LoadedVisit, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let c = &visit.checklist;
    let st = &visit.state;
    let tag = lang.tag();
    let cell = |t: &str| sanitize(t).replace('|', "\\|");
    writeln!(out, "# {} — {}\n", cell(c.text(&c.title, tag)), st.visit)?;
    writeln!(out, "- Status: {}", cell(&status_line(visit)))?;
    writeln!(out, "- Checklist: {} v{}", c.id, c.version)?;
    writeln!(out, "- Technician: {}", cell(&st.technician))?;
    writeln!(out, "- Started: {}", st.started_at)?;
    for field in &c.visit_fields {
        if let Some(value) = st.field_text(&field.id) {
            writeln!(
                out,
                "- {}: {}",
                cell(c.text(&field.label, tag)),
                cell(&value)
            )?;
        }
    }
    let score = visit
        .eval
        .score
        .map_or("—".into(), |s| format!("{:.1}%", s * 100.0));
    writeln!(
        out,
        "- Result: **{}**, score {score}",
        visit.eval.result.name()
    )?;
    let problems = integrity(visit);
    writeln!(
        out,
        "- Integrity: {}",
        if problems.is_empty() {
            "ok".into()
        } else {
            cell(&problems.join("; "))
        }
    )?;
    writeln!(
        out,
        "\n| Section | Item | Answer | Outcome | Note | Answered at |\n|---|---|---|---|---|---|"
    )?;
    for row in rows(visit, lang).into_iter().filter(|r| r.visible) {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&row.section),
            cell(&row.prompt),
            cell(row.value.as_deref().unwrap_or("—")),
            row.outcome.map_or("", |o| o.name()),
            cell(row.note.as_deref().unwrap_or("")),
            row.at.as_deref().unwrap_or("")
        )?;
    }
    Ok(())
}

fn as_json(visit: &LoadedVisit, lang: Lang) -> Value {
    let st = &visit.state;
    let items: Vec<Value> = rows(visit, lang)
        .into_iter()
        .map(|r| {
            json!({
                "section": r.section, "item": r.id, "prompt": r.prompt, "visible": r.visible,
                "value": r.raw, "outcome": r.outcome.map(|o| o.name()), "note": r.note, "answered_at": r.at,
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
        "integrity": integrity(visit),
        "items": items,
        "amendments": st.amendments.iter().map(|a| json!({"item": a.item, "value": a.value, "note": a.note, "reason": a.reason, "at": a.at})).collect::<Vec<_>>(),
    })
}
