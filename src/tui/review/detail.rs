//! One visit in full: its header, integrity, reviews, header fields, and every item with
//! its answer, outcome, note, time and the seconds since the answer before it; failures and
//! rushed stretches stand out, amendments show their reasons, flagged items their comments.
//!
//! `Detail` is built once when the visit is opened (one log read); drawing walks that one
//! visit, never the store.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::checklist::Checklist;
use crate::config::RushedThresholds;
use crate::keys::SealStatus;
use crate::log::EventKind;
use crate::log::integrity::IntegrityState;
use crate::log::review::Review;
use crate::present::{sanitize, truncate};
use crate::review::answers::answer_rows;
use crate::store::index::summary::{VisitStatus, VisitSummary};
use crate::store::read::LoadedVisit;
use crate::tui::run::editor::show_value;
use crate::tui::theme::{SYMBOL_FAIL, SYMBOL_INFO, SYMBOL_MISSING, SYMBOL_NA, SYMBOL_PASS};
use crate::visit::{AnswerValue, Outcome};

use super::ReviewScreen;
use super::widgets::{
    self, SYMBOL_FLAG, SYMBOL_RUSHED, SYMBOL_WARN, cell, duration, percent, result_look,
    verdict_look, verdict_word, wrap,
};

/// An amendment of an item, with the answer it replaced.
#[derive(Clone, Debug)]
pub struct AmendmentInfo {
    pub at: String,
    pub was: Option<serde_json::Value>,
    pub reason: String,
    /// `technician@host`; `None` when the log does not say (written before it was recorded).
    pub by: Option<String>,
}

/// What the detail knows about one visible item beyond its current state.
#[derive(Clone, Debug)]
pub struct ItemInfo {
    /// Index of the item in checklist (file) order.
    pub index: usize,
    pub section: usize,
    /// Seconds since the answer before it in the log.
    pub gap: Option<f64>,
    /// Its answer came in a rushed stretch.
    pub rushed: bool,
    pub amendments: Vec<AmendmentInfo>,
}

pub struct Detail {
    pub id: String,
    pub loaded: Result<LoadedVisit, String>,
    /// The visible items, in checklist order.
    pub items: Vec<ItemInfo>,
    /// Index into `items` of the highlighted one.
    pub cursor: usize,
    /// First body line in view.
    pub scroll: usize,
    /// Body lines that fit, as last drawn.
    pub page: usize,
    /// Whether each attached file still holds (checked when the detail opened).
    pub evidence: super::evidence::EvidenceChecks,
}

impl Detail {
    pub fn new(
        id: String,
        loaded: Result<LoadedVisit, String>,
        thresholds: &RushedThresholds,
    ) -> Detail {
        let items = match &loaded {
            Ok(visit) => item_infos(visit, thresholds),
            Err(_) => Vec::new(),
        };
        Detail {
            id,
            loaded,
            items,
            cursor: 0,
            scroll: 0,
            page: 10,
            evidence: Default::default(),
        }
    }

    /// The highlighted item's attachments.
    pub fn current_attachments(&self) -> Vec<crate::visit::Attachment> {
        let Some(id) = self.current_item_id() else {
            return Vec::new();
        };
        self.loaded
            .as_ref()
            .ok()
            .and_then(|v| v.state.answers.get(&id))
            .map(|st| st.evidence.clone())
            .unwrap_or_default()
    }

    pub fn move_cursor(&mut self, by: isize) {
        let last = self.items.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(by).min(last);
    }

    /// The id of the highlighted item.
    pub fn current_item_id(&self) -> Option<String> {
        let visit = self.loaded.as_ref().ok()?;
        let info = self.items.get(self.cursor)?;
        visit
            .checklist
            .items()
            .nth(info.index)
            .map(|(_, item)| item.id.clone())
    }
}

/// Timing, rushed stretches and amendments of each visible item.
fn item_infos(visit: &LoadedVisit, thresholds: &RushedThresholds) -> Vec<ItemInfo> {
    let gaps: HashMap<&str, Option<f64>> = answer_rows(visit)
        .into_iter()
        .map(|row| (row.item.id.as_str(), row.seconds_since_previous))
        .collect();
    let rushed = crate::visit::rushed::rushed_answers(&visit.events, thresholds);
    let mut amendments: HashMap<&str, Vec<AmendmentInfo>> = HashMap::new();
    let mut last_value: HashMap<&str, &serde_json::Value> = HashMap::new();
    for event in &visit.events {
        match &event.kind {
            EventKind::Answered { item, value, .. } => {
                last_value.insert(item, value);
            }
            EventKind::Cleared { item } => {
                last_value.remove(item.as_str());
            }
            EventKind::Amended {
                item: Some(item),
                value,
                reason,
                technician,
                host,
                ..
            } => {
                amendments.entry(item).or_default().push(AmendmentInfo {
                    at: event.at.clone(),
                    was: last_value.get(item.as_str()).map(|v| (*v).clone()),
                    reason: reason.clone(),
                    by: crate::visit::amender_name(technician.as_deref(), host.as_deref()),
                });
                last_value.insert(item, value);
            }
            _ => {}
        }
    }
    visit
        .checklist
        .items()
        .enumerate()
        .filter(|(i, _)| visit.eval.items.get(*i).is_some_and(|s| s.visible))
        .map(|(index, (section, item))| {
            let ms = visit.state.answers.get(&item.id).and_then(|s| s.ms);
            ItemInfo {
                index,
                section,
                gap: gaps.get(item.id.as_str()).copied().flatten(),
                rushed: ms.is_some_and(|ms| rushed.contains(&(item.id.as_str(), ms))),
                amendments: amendments.remove(item.id.as_str()).unwrap_or_default(),
            }
        })
        .collect()
}

pub fn render(screen: &mut ReviewScreen, frame: &mut Frame, area: Rect) {
    let [title, header, body, message, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(4),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let width = usize::from(area.width);
    let (lines, ranges) = body_lines(screen, width);
    let page = usize::from(body.height).max(1);
    if let Some(detail) = &mut screen.detail {
        detail.page = page;
        keep_in_view(detail, &ranges, lines.len(), page);
    }
    let screen = &*screen;
    let s = screen.s();
    widgets::render_title(screen, frame, title);
    frame.render_widget(Paragraph::new(header_lines(screen, width)), header);
    let scroll = screen.detail.as_ref().map_or(0, |d| d.scroll);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(page).collect();
    frame.render_widget(Paragraph::new(shown), body);
    widgets::render_message(screen, frame, message);
    widgets::render_keys(screen, frame, keys, s.detail_keys, s.detail_keys_short);
}

/// The lines one item takes: from its section's title (when it is the first of its
/// section), its own line, to the end of its notes.
#[derive(Clone, Copy, Debug)]
struct Range {
    head: usize,
    start: usize,
    end: usize,
}

/// Scrolls so the highlighted item (with its notes) is in view; the first item shows the
/// top of the page, the last one its end (the integrity problems below the items).
fn keep_in_view(detail: &mut Detail, ranges: &[Range], total: usize, page: usize) {
    let bottom = total.saturating_sub(page);
    let Some(&Range { head, start, end }) = ranges.get(detail.cursor) else {
        detail.scroll = detail.scroll.min(bottom);
        return;
    };
    if detail.cursor == 0 && end <= page {
        detail.scroll = 0;
    } else if detail.cursor + 1 == ranges.len() {
        detail.scroll = bottom.min(start);
    } else if head < detail.scroll {
        detail.scroll = head;
    } else if end > detail.scroll + page {
        detail.scroll = (end - page.min(end)).min(start);
    }
    detail.scroll = detail.scroll.min(bottom);
}

/// A heading across the width: `Items ──────────`.
fn heading(text: &str, width: usize, theme: crate::tui::theme::Theme) -> Line<'static> {
    let rule = "─".repeat(width.saturating_sub(text.width() + 1));
    Line::from(vec![
        Span::styled(format!("{text} "), theme.title()),
        Span::styled(rule, theme.dim()),
    ])
}

/// The fixed lines at the top: who, when, the result, the integrity.
fn header_lines(screen: &ReviewScreen, width: usize) -> Vec<Line<'static>> {
    let s = screen.s();
    let theme = screen.theme;
    let Some(detail) = &screen.detail else {
        return Vec::new();
    };
    let Some(visit) = screen.store.get(&detail.id) else {
        return vec![Line::raw(detail.id.clone())];
    };
    let lang = screen.lang.tag();
    let checklist = visit.checklist.checklist.as_deref();
    let title = checklist.map_or_else(
        || visit.checklist.id.clone(),
        |c| c.text(&c.title, lang).to_owned(),
    );
    let mut lines = Vec::new();
    lines.push(Line::from(vec![
        Span::styled(format!("{} {}", s.visit, visit.id), theme.title()),
        Span::raw(format!(
            " · {} ({} v{})",
            sanitize(&title),
            sanitize(&visit.checklist.id),
            sanitize(&visit.checklist.version)
        )),
    ]));
    let started = visit.started_at.get(..16).unwrap_or(&visit.started_at);
    lines.push(Line::raw(format!(
        "{} {} ({}) · {} {} · {} {}",
        s.technician,
        sanitize(&visit.technician),
        sanitize(&visit.host),
        s.started,
        sanitize(&started.replace('T', " ")),
        s.duration,
        duration(visit.duration_ms)
    )));
    let (symbol, word, style) = result_look(screen, visit);
    let mut status = vec![
        Span::styled(format!("{symbol} {word}"), style),
        Span::raw(format!(
            " · {} {} · {} {} · {} {}",
            s.score,
            percent(visit.score),
            s.answered,
            visit.answered,
            s.missing,
            visit.missing
        )),
    ];
    if visit.failed > 0 {
        status.push(Span::raw(" · "));
        status.push(Span::styled(
            format!("{SYMBOL_FAIL} {} {}", visit.failed, s.failed),
            theme.fail(),
        ));
    }
    if visit.rushed {
        let median = crate::visit::rushed::median_seconds(&visit.answer_gaps_ms)
            .map(|m| format!(" ({} {m:.1} s)", s.median_gap))
            .unwrap_or_default();
        status.push(Span::raw(" · "));
        status.push(Span::styled(
            format!("{SYMBOL_RUSHED} {}{median}", s.rushed_visit),
            theme.warn(),
        ));
    }
    if let Some(review) = visit.reviews.latest() {
        let (symbol, style) = verdict_look(theme, review.verdict);
        status.push(Span::raw(" · "));
        status.push(Span::styled(
            format!("{symbol} {}", verdict_word(s, review.verdict)),
            style,
        ));
        if visit.reviews.outdated {
            status.push(Span::styled(format!(" {}", s.outdated), theme.error()));
        }
    }
    lines.push(Line::from(status));
    let integrity = match visit.integrity.state() {
        IntegrityState::Clean => Line::styled(
            format!(
                "{}{}{SYMBOL_PASS} {} ({} {})",
                s.integrity,
                s.colon,
                s.chain_ok,
                visit.events,
                if visit.events == 1 { s.line } else { s.lines }
            ),
            theme.pass(),
        ),
        IntegrityState::Torn => Line::styled(
            format!("{}{}{SYMBOL_WARN} {}", s.integrity, s.colon, s.chain_torn),
            theme.warn(),
        ),
        IntegrityState::Damaged => {
            let first = &visit.integrity.problems[0];
            Line::styled(
                format!(
                    "{}{}{SYMBOL_FAIL} {}:{}: {}",
                    s.integrity,
                    s.colon,
                    sanitize(&visit.reference().shown()),
                    first.line,
                    sanitize(&first.message)
                ),
                theme.fail(),
            )
        }
    };
    lines.push(with_seal(screen, visit, integrity));
    lines
        .into_iter()
        .map(|line| cut_line(line, width))
        .collect()
}

/// The integrity line goes on with the seal (judged against the keys trusted here) and
/// the receipt the customer holds.
fn with_seal(
    screen: &ReviewScreen,
    visit: &VisitSummary,
    mut line: Line<'static>,
) -> Line<'static> {
    let words = crate::present::strings::strings(screen.lang);
    let seal = screen.store.seal_of(visit);
    let style = match seal {
        SealStatus::Trusted => screen.theme.pass(),
        ref other if other.is_problem() => screen.theme.fail(),
        _ => screen.theme.dim(),
    };
    line.spans.push(Span::raw(" · "));
    line.spans.push(Span::styled(
        format!(
            "{}{}{}",
            words.seal_label(),
            words.colon,
            words.seal_short(&seal)
        ),
        style,
    ));
    if let Some(receipt) = &visit.receipt {
        line.spans.push(Span::raw(format!(
            " · {}{}{receipt}",
            words.receipt_label(),
            words.colon
        )));
    }
    line
}

/// A line cut to `width` columns (ratatui would cut it too, but without the `…`).
fn cut_line(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut room = width;
    let mut spans = Vec::new();
    for span in line.spans {
        if room == 0 {
            break;
        }
        let w = span.content.width();
        if w < room {
            room -= w;
            spans.push(span);
        } else {
            spans.push(Span::styled(truncate(&span.content, room), span.style));
            room = 0;
        }
    }
    Line::from(spans).style(line.style)
}

/// The technician's answers to the supervisor's general comments (amendments without an
/// item), with who gave them and when.
fn answer_lines(
    screen: &ReviewScreen,
    visit: &LoadedVisit,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    let s = screen.s();
    for answer in visit.state.amendments.iter().filter(|a| a.item.is_none()) {
        let at = sanitize(&answer.at.get(..16).unwrap_or(&answer.at).replace('T', " "));
        let by = answer
            .amender()
            .map_or_else(|| s.unknown_amender.to_owned(), |b| sanitize(&b));
        let text = format!(
            "↩ {} {at} · {}{}{by} · {}",
            s.answered_comment,
            s.amended_by,
            s.colon,
            sanitize(&answer.reason)
        );
        for (n, part) in wrap(&text, width.saturating_sub(4)).into_iter().enumerate() {
            let indent = if n == 0 { "  " } else { "    " };
            lines.push(Line::styled(format!("{indent}{part}"), screen.theme.warn()));
        }
    }
}

/// The scrolling part, and for each visible item the range of lines it takes.
fn body_lines(screen: &ReviewScreen, width: usize) -> (Vec<Line<'static>>, Vec<Range>) {
    let s = screen.s();
    let theme = screen.theme;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut ranges = Vec::new();
    let Some(detail) = &screen.detail else {
        return (lines, ranges);
    };
    let Some(summary) = screen.store.get(&detail.id) else {
        return (lines, ranges);
    };
    let checklist = summary.checklist.checklist.as_deref();

    // Reviews, newest last, as in their logs.
    lines.push(heading(s.reviews, width, theme));
    if summary.reviews.all.is_empty() {
        lines.push(Line::styled(format!("  {}", s.no_reviews), theme.dim()));
    }
    for review in &summary.reviews.all {
        review_lines(screen, summary, checklist, review, width, &mut lines);
    }
    if let Ok(visit) = &detail.loaded {
        answer_lines(screen, visit, width, &mut lines);
    }
    for problem in &summary.reviews.integrity.problems {
        lines.push(Line::styled(
            truncate(
                &format!(
                    "  {SYMBOL_FAIL} {} {}{}{}",
                    s.review_log,
                    problem.line,
                    s.colon,
                    sanitize(&problem.message)
                ),
                width,
            ),
            theme.fail(),
        ));
    }

    let visit = match &detail.loaded {
        Ok(visit) => visit,
        Err(error) => {
            lines.push(Line::styled(
                format!("{SYMBOL_FAIL} {}", s.cannot_load),
                theme.fail(),
            ));
            for part in wrap(&sanitize(error), width.saturating_sub(2)) {
                lines.push(Line::styled(format!("  {part}"), theme.fail()));
            }
            return (lines, ranges);
        }
    };
    let lang = screen.lang.tag();
    let default = visit.checklist.default_language();

    // Header fields, labelled as the checklist labels them, as many to a line as fit.
    lines.push(heading(s.fields, width, theme));
    let mut line: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for key in visit.state.fields.keys() {
        let Some(value) = visit.state.field_text(key) else {
            continue;
        };
        let label = format!("{} ", field_label(&visit.checklist, key, lang));
        let value = visit.checklist.field_value_text(key, &value, lang);
        let value = truncate(
            &sanitize(value),
            width.saturating_sub(label.width() + 2).max(1),
        );
        let w = label.width() + value.width() + 3;
        if used > 0 && used + w > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        }
        line.push(Span::raw(if used == 0 { "  " } else { " · " }));
        line.push(Span::styled(label, theme.dim()));
        line.push(Span::raw(value));
        used += w;
    }
    if !line.is_empty() {
        lines.push(Line::from(line));
    }
    if summary.status == VisitStatus::Abandoned {
        let reason = summary.abandon_reason.as_deref().unwrap_or("");
        lines.push(Line::styled(
            truncate(
                &format!(
                    "  {SYMBOL_NA} {}{}{}",
                    s.abandoned,
                    s.colon,
                    sanitize(reason)
                ),
                width,
            ),
            theme.warn(),
        ));
    }

    // Every visible item, by section.
    lines.push(heading(s.items, width, theme));
    let answer_width = (width.saturating_sub(20) / 4).clamp(8, 30);
    let prompt_width = width.saturating_sub(answer_width + 20).max(4);
    let mut section = usize::MAX;
    let run = crate::tui::strings::strings(screen.lang);
    let all_items: Vec<&crate::checklist::Item> =
        visit.checklist.items().map(|(_, item)| item).collect();
    for (k, info) in detail.items.iter().enumerate() {
        let Some(item) = all_items.get(info.index).copied() else {
            continue;
        };
        let head = lines.len();
        if info.section != section {
            section = info.section;
            if let Some(sec) = visit.checklist.sections.get(section) {
                lines.push(Line::styled(
                    truncate(
                        &format!(" {}", sanitize(sec.title.get(lang, default))),
                        width,
                    ),
                    theme.title(),
                ));
            }
        }
        let start = lines.len();
        let state = visit.state.answers.get(&item.id);
        let value = state.and_then(|st| st.value.as_ref());
        let outcome = visit.eval.items.get(info.index).and_then(|st| st.outcome);
        let (symbol, style) = match outcome {
            Some(Outcome::Pass) => (SYMBOL_PASS, theme.pass()),
            Some(Outcome::Fail) => (SYMBOL_FAIL, theme.fail()),
            Some(Outcome::Na) => (SYMBOL_NA, theme.dim()),
            Some(Outcome::Info) => (SYMBOL_INFO, Style::new()),
            None => (SYMBOL_MISSING, theme.dim()),
        };
        let answer = value.map_or_else(
            || s.not_answered.to_owned(),
            |v| sanitize(&show_value(item, v, lang, default, run)),
        );
        // The time of day; the day instead when it was not the visit's (an amendment).
        let at = state
            .and_then(|st| st.answered_at.as_deref())
            .and_then(|at| {
                if at.get(..10) == Some(summary.started_date()) {
                    at.get(11..19)
                } else {
                    at.get(5..10)
                }
            })
            .map(sanitize)
            .unwrap_or_default();
        // The time since the answer before means nothing for an amendment made days later.
        let gap = if info.amendments.is_empty() {
            info.gap.map(gap_text).unwrap_or_default()
        } else {
            String::new()
        };
        let selected = k == detail.cursor;
        let mark = if info.rushed { SYMBOL_RUSHED } else { " " };
        let prompt_style = if outcome == Some(Outcome::Fail) {
            theme.fail()
        } else {
            Style::new()
        };
        let rushed_style = if info.rushed {
            theme.warn()
        } else {
            theme.dim()
        };
        let mut line = Line::from(vec![
            Span::styled(mark.to_owned(), theme.warn()),
            Span::styled(format!("{symbol} "), style),
            Span::styled(
                cell(
                    &sanitize(item.prompt.get(lang, default)),
                    prompt_width,
                    false,
                ),
                prompt_style,
            ),
            Span::raw(" "),
            Span::styled(cell(&answer, answer_width, false), style),
            Span::raw(" "),
            Span::styled(cell(&at, 8, false), theme.dim()),
            Span::raw(" "),
            Span::styled(cell(&gap, 6, true), rushed_style),
        ]);
        if selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
        let indent = "      ";
        let room = width.saturating_sub(indent.width() + 2);
        if let Some(note) = state.and_then(|st| st.note.as_deref()) {
            for (n, part) in wrap(&sanitize(note), room).into_iter().enumerate() {
                let lead = if n == 0 { "✎ " } else { "  " };
                lines.push(Line::raw(format!("{indent}{lead}{part}")));
            }
        }
        if let Some(st) = state.filter(|st| !st.evidence.is_empty()) {
            lines.extend(super::evidence::attachment_lines(
                s,
                theme,
                &detail.evidence,
                &st.evidence,
                indent,
                width,
            ));
        }
        for amendment in &info.amendments {
            let was = amendment
                .was
                .as_ref()
                .and_then(|json| AnswerValue::from_json(item, json).ok())
                .map(|v| sanitize(&show_value(item, &v, lang, default, run)))
                .unwrap_or_else(|| "—".to_owned());
            let at = sanitize(
                &amendment
                    .at
                    .get(..16)
                    .unwrap_or(&amendment.at)
                    .replace('T', " "),
            );
            let by = amendment
                .by
                .as_deref()
                .map_or_else(|| s.unknown_amender.to_owned(), sanitize);
            let text = format!(
                "⟲ {} {at} ({was} → {answer}) · {}{}{by} · {}{}{}",
                s.amended,
                s.amended_by,
                s.colon,
                s.reason,
                s.colon,
                sanitize(&amendment.reason)
            );
            for part in wrap(&text, room) {
                lines.push(Line::styled(format!("{indent}{part}"), theme.warn()));
            }
        }
        for flag in summary
            .reviews
            .all
            .iter()
            .filter(|r| r.item.as_deref() == Some(item.id.as_str()))
        {
            let text = format!(
                "{SYMBOL_FLAG} {}{}{}",
                sanitize(&flag.reviewer),
                s.colon,
                sanitize(&flag.comment)
            );
            for part in wrap(&text, room) {
                lines.push(Line::styled(format!("{indent}{part}"), theme.warn()));
            }
        }
        ranges.push(Range {
            head,
            start,
            end: lines.len(),
        });
    }

    // Every problem of the log, where the header shows only the first.
    if !summary.integrity.problems.is_empty() {
        lines.push(heading(s.integrity, width, theme));
        for problem in &summary.integrity.problems {
            let text = format!(
                "  {SYMBOL_FAIL} {}:{}: {}",
                sanitize(&summary.reference().shown()),
                problem.line,
                sanitize(&problem.message)
            );
            for part in wrap(&text, width) {
                lines.push(Line::styled(part, theme.fail()));
            }
        }
    }
    (lines, ranges)
}

/// One review: when, who, the verdict (and the flagged item), OUTDATED when the visit
/// changed after it, then the comment.
fn review_lines(
    screen: &ReviewScreen,
    summary: &VisitSummary,
    checklist: Option<&Checklist>,
    review: &Review,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    let s = screen.s();
    let theme = screen.theme;
    let lang = screen.lang.tag();
    let (symbol, style) = verdict_look(theme, review.verdict);
    let at = sanitize(&review.at.get(..16).unwrap_or(&review.at).replace('T', " "));
    let mut spans = vec![
        Span::styled(format!("  {at} "), theme.dim()),
        Span::raw(format!("{} ", sanitize(&review.reviewer))),
        Span::styled(
            format!("{symbol} {}", verdict_word(s, review.verdict)),
            style,
        ),
    ];
    if let Some(item) = &review.item {
        let prompt = checklist
            .and_then(|c| {
                c.item(item)
                    .map(|i| i.prompt.get(lang, c.default_language()).to_owned())
            })
            .unwrap_or_else(|| item.clone());
        spans.push(Span::styled(
            format!(
                " · {SYMBOL_FLAG} {}{}{}",
                s.flagged_item,
                s.colon,
                sanitize(&prompt)
            ),
            theme.warn(),
        ));
    }
    if review.visit_hash != summary.last_hash {
        spans.push(Span::styled(format!("  {}", s.outdated), theme.error()));
    }
    lines.push(cut_line(Line::from(spans), width));
    if !review.comment.is_empty() {
        for part in wrap(&sanitize(&review.comment), width.saturating_sub(6)) {
            lines.push(Line::raw(format!("      {part}")));
        }
    }
}

/// A header field's label in the UI language, or its key.
fn field_label(checklist: &Checklist, key: &str, lang: &str) -> String {
    checklist
        .visit_fields
        .iter()
        .find(|f| f.id == key)
        .map(|f| f.label.get(lang, checklist.default_language()))
        .filter(|l| !l.is_empty())
        .map_or_else(|| sanitize(key), sanitize)
}

/// `+12s`, `+3m05s`, `+2h10m`.
fn gap_text(seconds: f64) -> String {
    let secs = seconds.round() as u64;
    if secs < 60 {
        format!("+{secs}s")
    } else if secs < 3600 {
        format!("+{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("+{}h{:02}m", secs / 3600, secs / 60 % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_read_at_a_glance() {
        assert_eq!(gap_text(1.4), "+1s");
        assert_eq!(gap_text(125.0), "+2m05s");
        assert_eq!(gap_text(7300.0), "+2h01m");
    }
}
