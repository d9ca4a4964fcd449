//! Drawing the run screen: header, section/item list, the current item, overlays, footer.
//! Drawing reads the screen's state and returns where things were drawn (for the mouse).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::checklist::{EvidencePolicy, ItemKind, NotePolicy, Severity};
use crate::present::{sanitize, truncate};
use crate::tui::battery::LOW_PERCENT;
use crate::tui::theme::*;
use crate::visit::{Outcome, ShownResult, Status};

use super::editor::{Verdict, check, range_text, show_value};
use super::{AmendStep, HitMap, Notice, Overlay, RunScreen};

/// Smallest usable terminal.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn render(screen: &RunScreen, frame: &mut Frame) -> HitMap {
    let area = frame.area();
    let mut hits = HitMap::default();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(frame, screen.s().too_small, area);
        return hits;
    }
    let [header, body, notice, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_header(screen, frame, header);
    let list_width = (area.width / 3).clamp(22, 36);
    let [list, detail] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(1)]).areas(body);
    hits.items = render_list(screen, frame, list);
    match &screen.overlay {
        Overlay::Summary { confirming } => render_summary(screen, frame, body, *confirming),
        // Abandoning is asked over the summary it was chosen from.
        Overlay::Abandon(_) => render_summary(screen, frame, body, false),
        Overlay::Help { scroll } => {
            hits.help_max_scroll = render_help(screen, frame, body, *scroll);
            hits.help_rows = usize::from(body.height.saturating_sub(2));
        }
        Overlay::Header(form) => form.render(frame, body, &screen.session.checklist, screen.theme),
        Overlay::Receipt { code, .. } => {
            super::receipt::render_receipt(frame, body, code, screen.lang, screen.theme)
        }
        _ => hits.choices = render_item(screen, frame, detail),
    }
    render_notice(screen, frame, notice);
    render_footer(screen, frame, footer);
    hits
}

pub fn render_too_small(frame: &mut Frame, message: &str, area: Rect) {
    let text = format!("{message} ({}x{})", area.width, area.height);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn render_header(screen: &RunScreen, frame: &mut Frame, area: Rect) {
    let s = screen.s();
    let theme = screen.theme;
    let checklist = &screen.session.checklist;
    let eval = &screen.session.eval;
    let lang = screen.lang.tag();
    let mut right: Vec<Span> = Vec::new();
    let gauge_width = 10usize;
    let filled = (eval.required_answered * gauge_width)
        .checked_div(eval.required)
        .unwrap_or(gauge_width);
    right.push(Span::raw(format!(
        "{}/{} ",
        eval.required_answered, eval.required
    )));
    right.push(Span::styled("█".repeat(filled), theme.pass()));
    right.push(Span::styled("░".repeat(gauge_width - filled), theme.dim()));
    let score = eval
        .score
        .map_or("—".to_owned(), |s| format!("{:.0}%", s * 100.0));
    right.push(Span::raw(format!(" {} {score}", s.score)));
    if let Some(level) = screen.battery {
        if level < LOW_PERCENT {
            right.push(Span::styled(
                format!(" ⚠ {} {level}%", s.battery_low),
                theme.fail(),
            ));
        } else {
            right.push(Span::raw(format!(" {} {level}%", s.battery)));
        }
    }
    match screen.session.status() {
        Status::Open => {}
        Status::Finished { .. } => {
            right.push(Span::styled(format!(" [{}]", s.finished), theme.warn()))
        }
        Status::Abandoned { .. } => {
            right.push(Span::styled(format!(" [{}]", s.abandoned), theme.warn()))
        }
    }
    let right_width: usize = right.iter().map(|s| s.content.width()).sum();
    let work_order = format!(" · {}", sanitize(&screen.visit_name()));
    let left_room = usize::from(area.width).saturating_sub(right_width + 1);
    // The visit's name (its work order, mostly) tells visits apart, so the title gives way.
    let title = truncate(
        checklist.text(&checklist.title, lang),
        left_room.saturating_sub(work_order.width()),
    );
    let left = truncate(&format!("{title}{work_order}"), left_room);
    let pad = usize::from(area.width).saturating_sub(left.width() + right_width);
    let mut spans = vec![
        Span::styled(left, theme.title()),
        Span::raw(" ".repeat(pad)),
    ];
    spans.extend(right);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The symbol and style of an item's state in the list.
fn marker(screen: &RunScreen, index: usize) -> (&'static str, Style) {
    let theme = screen.theme;
    let status = &screen.session.eval.items[index];
    match status.outcome {
        Some(Outcome::Pass) => (SYMBOL_PASS, theme.pass()),
        Some(Outcome::Fail) => (SYMBOL_FAIL, theme.fail()),
        Some(Outcome::Na) => (SYMBOL_NA, theme.dim()),
        Some(Outcome::Info) => (SYMBOL_INFO, theme.pass()),
        None if status.missing => (SYMBOL_MISSING, Style::new()),
        None => (SYMBOL_OPTIONAL, theme.dim()),
    }
}

fn render_list(screen: &RunScreen, frame: &mut Frame, area: Rect) -> Vec<(Rect, usize)> {
    let s = screen.s();
    let theme = screen.theme;
    let checklist = &screen.session.checklist;
    let lang = screen.lang.tag();
    let block = Block::default()
        .borders(Borders::RIGHT)
        .border_style(theme.border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let height = usize::from(inner.height);
    // Only the items in view are drawn: a long checklist has hundreds of rows and the frame
    // shows a screenful, so the others are counted (for the scroll offset) but not built.
    let (cursor_row, total_rows) = list_rows(screen);
    let offset = cursor_row
        .saturating_sub(height / 2)
        .min(total_rows.saturating_sub(height));
    let in_view = |row: usize| (offset..offset + height).contains(&row);
    // Rows: a section title, then its visible items.
    let mut rows: Vec<(Line, Option<usize>)> = Vec::new();
    let mut index = 0;
    for (section, progress) in checklist.sections.iter().zip(&screen.session.eval.sections) {
        let first = index;
        index += section.items.len();
        if !progress.visible {
            continue;
        }
        let count = format!(" {}/{}", progress.required_answered, progress.required);
        let fails = if progress.failed > 0 {
            format!(" {SYMBOL_FAIL}{}", progress.failed)
        } else {
            String::new()
        };
        let title = truncate(
            checklist.text(&section.title, lang),
            width.saturating_sub(count.width() + fails.width()),
        );
        let pad = width.saturating_sub(title.width() + count.width() + fails.width());
        rows.push((
            Line::from(vec![
                Span::styled(title, theme.title()),
                Span::raw(" ".repeat(pad)),
                Span::styled(count, theme.dim()),
                Span::styled(fails, theme.fail()),
            ]),
            None,
        ));
        for i in first..index {
            if !screen.session.eval.items[i].visible {
                continue;
            }
            if !in_view(rows.len()) {
                rows.push((Line::default(), Some(i)));
                continue;
            }
            let item = &section.items[i - first];
            let (symbol, style) = marker(screen, i);
            let unsaved = if screen.session.is_unsaved(&item.id) {
                "*"
            } else {
                ""
            };
            let prompt = truncate(
                &sanitize(checklist.text(&item.prompt, lang)),
                width.saturating_sub(3 + unsaved.len()),
            );
            let line_style = if i == screen.cursor {
                theme.selected()
            } else {
                Style::new()
            };
            // A missing note is flagged beside the outcome, so a failure still shows as one.
            // A supervisor's flag (follow-up) comes next, then nothing.
            let status = &screen.session.eval.items[i];
            let flag = if status.note_missing || status.evidence_missing {
                "!"
            } else if screen.flags_on(&item.id).next().is_some() {
                "⚑"
            } else {
                " "
            };
            let mut line = Line::from(vec![
                Span::styled(
                    flag,
                    if i == screen.cursor {
                        line_style
                    } else {
                        theme.warn()
                    },
                ),
                Span::styled(
                    format!("{symbol} "),
                    if i == screen.cursor {
                        line_style
                    } else {
                        style
                    },
                ),
                Span::styled(prompt, line_style),
                Span::styled(unsaved, theme.warn()),
            ]);
            if i == screen.cursor {
                let used = line.width();
                line.spans.push(Span::styled(
                    " ".repeat(width.saturating_sub(used)),
                    line_style,
                ));
            }
            rows.push((line, Some(i)));
        }
    }
    let _ = s;
    let mut hits = Vec::new();
    let mut lines = Vec::with_capacity(height);
    for (row, (line, item)) in rows.into_iter().skip(offset).take(height).enumerate() {
        if let Some(item) = item {
            let y = inner.y + u16::try_from(row).unwrap_or(0);
            hits.push((Rect::new(inner.x, y, inner.width, 1), item));
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
    hits
}

/// The list's row of the current item and the number of rows: one per visible section and
/// one per visible item.
fn list_rows(screen: &RunScreen) -> (usize, usize) {
    let eval = &screen.session.eval;
    let (mut cursor_row, mut rows, mut index) = (0, 0, 0);
    for (section, progress) in screen.session.checklist.sections.iter().zip(&eval.sections) {
        let first = index;
        index += section.items.len();
        if !progress.visible {
            continue;
        }
        rows += 1;
        for i in first..index {
            if eval.items[i].visible {
                if i == screen.cursor {
                    cursor_row = rows;
                }
                rows += 1;
            }
        }
    }
    (cursor_row, rows)
}

fn render_item(screen: &RunScreen, frame: &mut Frame, area: Rect) -> Vec<(Rect, usize)> {
    let Some(item) = screen.current() else {
        return Vec::new();
    };
    let s = screen.s();
    let theme = screen.theme;
    let checklist = &screen.session.checklist;
    let lang = screen.lang.tag();
    let default = checklist.default_language();
    let area = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let state = screen.session.view.answers.get(&item.id);
    let value = state.and_then(|st| st.value.as_ref());
    let visible: Vec<usize> = screen.visible().collect();
    let position = visible
        .iter()
        .position(|&i| i == screen.cursor)
        .map_or(0, |p| p + 1);
    let section_index = checklist.items().nth(screen.cursor).map_or(0, |(s, _)| s);

    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::styled(
        format!(
            "{} · {position}/{}",
            checklist.text(&checklist.sections[section_index].title, lang),
            visible.len()
        ),
        theme.dim(),
    ));
    lines.push(Line::styled(
        sanitize(checklist.text(&item.prompt, lang)),
        theme.title(),
    ));
    let mut tags = vec![
        if item.required {
            s.required
        } else {
            s.optional
        }
        .to_owned(),
    ];
    if item.severity == Severity::Critical {
        tags.push(format!("⚠ {}", s.critical));
    }
    if let Some(rule) = pass_rule(item, s) {
        tags.push(rule);
    }
    if let ItemKind::Number { decimals, .. } = &item.kind {
        tags.push(match decimals {
            Some(0) => s.no_decimals.to_owned(),
            Some(d) => format!("≤ {d} {}", s.decimals_allowed),
            None => s.number_keys.to_owned(),
        });
    }
    if matches!(item.kind, ItemKind::MultiChoice { .. }) {
        tags.push(s.multi_hint.into());
    }
    lines.push(Line::styled(tags.join(" · "), theme.dim()));
    if !item.help.is_empty() {
        lines.push(Line::styled(
            sanitize(item.help.get(lang, default)),
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));

    // Choices, one a line, so each can be clicked.
    let choices = screen.current_choices();
    let first_choice_line = lines.len();
    // On a number item digits type the number, so its N/A is chosen with ←→ and Space.
    let by_space = matches!(item.kind, ItemKind::Number { .. });
    for (n, (choice, label)) in choices.iter().enumerate() {
        let chosen = screen.is_chosen(choice);
        let mark = if chosen { "◉" } else { "○" };
        let highlight = n == screen.highlight && (choices.len() > 1 || by_space);
        let style = if chosen {
            theme.selected()
        } else {
            Style::new()
        };
        let key = if by_space {
            s.na_by_space.to_owned()
        } else {
            format!("{}", n + 1)
        };
        let mut row = vec![
            Span::raw(if highlight { "▸" } else { " " }),
            Span::styled(format!("{key} "), theme.key()),
            Span::styled(format!("{mark} {label}"), style),
        ];
        match choice_outcome(item, choice) {
            Some(Outcome::Pass) => row.push(Span::styled(format!("  {SYMBOL_PASS}"), theme.pass())),
            Some(Outcome::Fail) => row.push(Span::styled(
                format!("  {SYMBOL_FAIL} {}", s.fails_mark),
                theme.fail(),
            )),
            _ => {}
        }
        lines.push(Line::from(row));
    }
    if item.kind.is_typed() {
        // A number is begun by typing it as well as by Enter.
        let keys = if by_space {
            format!("{} 0-9 ", s.enter_key)
        } else {
            format!("{} ", s.enter_key)
        };
        lines.push(Line::from(vec![
            Span::styled(keys, theme.key()),
            Span::raw(format!("✎ {}", s.value_title)),
        ]));
    }
    lines.push(Line::raw(""));

    // The current answer and note.
    let outcome = screen.outcome_of(screen.cursor);
    let (symbol, style) = match outcome {
        Some(Outcome::Fail) => (SYMBOL_FAIL, theme.fail()),
        Some(Outcome::Pass) => (SYMBOL_PASS, theme.pass()),
        Some(Outcome::Na) => (SYMBOL_NA, theme.dim()),
        Some(Outcome::Info) => (SYMBOL_INFO, Style::new()),
        None => (SYMBOL_MISSING, Style::new()),
    };
    let shown = value.map_or_else(
        || s.not_answered.to_owned(),
        |v| show_value(item, v, lang, default, s),
    );
    let saved = if value.is_none() {
        String::new()
    } else if screen.session.is_unsaved(&item.id) {
        format!("  ({})", s.not_saved)
    } else {
        format!("  ✓ {}", s.saved)
    };
    lines.push(Line::from(vec![
        Span::styled(format!("{}{}", s.answer, s.colon), theme.title()),
        Span::styled(format!("{symbol} {shown}"), style),
        Span::styled(saved, theme.dim()),
    ]));
    let note = state.and_then(|st| st.note.as_deref()).unwrap_or("");
    let status = &screen.session.eval.items[screen.cursor];
    if status.note_missing {
        lines.push(Line::styled(
            format!("{}{}! {} (c)", s.note, s.colon, s.note_required),
            theme.warn(),
        ));
    } else if !note.is_empty() {
        lines.push(Line::from(vec![
            Span::styled(format!("{}{}", s.note, s.colon), theme.title()),
            Span::raw(sanitize(note)),
        ]));
    } else if item.note != NotePolicy::Never {
        lines.push(Line::styled(
            format!("{}{}— (c)", s.note, s.colon),
            theme.dim(),
        ));
    }
    evidence_lines(screen, item, &mut lines);
    for flag in screen.flags_on(&item.id) {
        // Once amended, the flag says so instead of asking for it.
        let state = if flag.answered { "✓" } else { "(A)" };
        lines.push(Line::styled(
            format!(
                "⚑ {} {}{}{}  {state}",
                s.follow_up,
                sanitize(&flag.reviewer),
                s.colon,
                sanitize(&flag.comment)
            ),
            theme.warn(),
        ));
    }

    // The supervisor's general comment, on every item of a returned visit: the notice line
    // is cut at the screen's width and replaced by the next notice.
    for general in screen.follow_up.iter().filter(|n| n.item.is_none()) {
        let state = if general.answered {
            "✓".to_owned()
        } else {
            format!("({})", s.answer_hint)
        };
        lines.push(Line::styled(
            format!(
                "⚑ {} {}{}{}  {state}",
                s.follow_up_visit,
                sanitize(&general.reviewer),
                s.colon,
                sanitize(&general.comment)
            ),
            theme.warn(),
        ));
    }

    // Choice rows sit after the wrapped lines above them: count the rows each line takes.
    let width = usize::from(area.width.max(1));
    let rows_before: usize = lines[..first_choice_line]
        .iter()
        .map(|l| l.width().max(1).div_ceil(width))
        .sum();
    let text_rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(width)).sum();
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    frame.render_widget(paragraph, area);
    render_thumbnail(screen, frame, area, text_rows);
    let mut hits = Vec::new();
    for n in 0..choices.len() {
        let y = area.y as usize + rows_before + n;
        if y < usize::from(area.bottom()) {
            hits.push((Rect::new(area.x, y as u16, area.width, 1), n));
        }
    }

    match &screen.overlay {
        Overlay::Value(input) => render_value_editor(screen, frame, area, input),
        Overlay::Evidence(picker) => super::picker_view::render_picker(screen, frame, area, picker),
        Overlay::Note { input, required } => {
            let title = format!(" {} ", s.note_title);
            let hint = if *required || status.note_missing {
                s.note_required
            } else {
                ""
            };
            render_input_box(
                screen,
                frame,
                area,
                (&title, s.edit_keys),
                input,
                Line::styled(hint, theme.warn()),
            )
        }
        Overlay::Amend(amend) => {
            let (title, hint) = match (&amend.value, amend.step) {
                (Some(value), step) => (
                    format!(
                        " {} → {} ",
                        s.amend_title,
                        show_value(item, value, lang, default, s)
                    ),
                    match step {
                        AmendStep::Note => Line::styled(s.amend_note, theme.dim()),
                        _ => Line::styled(s.amend_reason, theme.warn()),
                    },
                ),
                (None, _) => (
                    format!(" {} ", s.amend_title),
                    Line::styled(s.amend_choose, theme.dim()),
                ),
            };
            render_input_box(
                screen,
                frame,
                area,
                (&title, s.edit_keys),
                &amend.input,
                hint,
            )
        }
        Overlay::Answer(input) => {
            // The comment being answered, above what is typed.
            let hint = screen
                .follow_up
                .iter()
                .rfind(|n| n.item.is_none())
                .map_or_else(
                    || Line::styled(s.answer_prompt, theme.warn()),
                    |n| {
                        Line::styled(
                            format!(
                                "⚑ {}{}{}",
                                sanitize(&n.reviewer),
                                s.colon,
                                sanitize(&n.comment)
                            ),
                            theme.warn(),
                        )
                    },
                );
            let title = format!(" {} ", s.answer_title);
            render_input_box(screen, frame, area, (&title, s.edit_keys), input, hint)
        }
        _ => {}
    }
    hits
}

/// The item's attachments (name, size) and, when its answer asks for a photo it does not
/// have, that one is required.
fn evidence_lines(screen: &RunScreen, item: &crate::checklist::Item, lines: &mut Vec<Line>) {
    if item.evidence == EvidencePolicy::Never {
        return;
    }
    let s = screen.s();
    let ev = s.evidence;
    let theme = screen.theme;
    let attached = screen.attachments();
    let status = &screen.session.eval.items[screen.cursor];
    if status.evidence_missing {
        lines.push(Line::styled(
            format!("{}{}! {} (e)", ev.label, s.colon, ev.required),
            theme.warn(),
        ));
    } else if attached.is_empty() {
        let hint = match item.evidence {
            EvidencePolicy::Always => format!(" · {}", ev.required),
            _ => String::new(),
        };
        lines.push(Line::styled(
            format!("{}{}— (e){hint}", ev.label, s.colon),
            theme.dim(),
        ));
    } else {
        lines.push(Line::styled(
            format!("{}{}{}", ev.label, s.colon, attached.len()),
            theme.title(),
        ));
    }
    for attachment in attached {
        lines.push(Line::from(vec![
            Span::raw(format!("  ▪ {}", sanitize(&attachment.name))),
            Span::styled(
                format!("  {}", crate::visit::size_text(attachment.size)),
                theme.dim(),
            ),
        ]));
    }
}

/// The thumbnail of the item's last photo, below the text where there is room for it.
fn render_thumbnail(screen: &RunScreen, frame: &mut Frame, area: Rect, text_rows: usize) {
    use crate::tui::thumbnails::Thumb;
    let (Some(thumbnails), Some(wanted)) = (&screen.thumbnails, screen.wanted_thumbnail()) else {
        return;
    };
    if !matches!(screen.overlay, Overlay::None) {
        return;
    }
    let free = area
        .height
        .saturating_sub(u16::try_from(text_rows + 1).unwrap_or(u16::MAX));
    let at = |width: u16, height: u16| Rect {
        x: area.x + 2,
        y: area.bottom().saturating_sub(height),
        width: width.min(area.width.saturating_sub(2)),
        height,
    };
    match thumbnails.get(&wanted.sha256) {
        Some(Thumb::Ready(protocol)) => {
            let size = protocol.size();
            if free >= size.height && area.width >= size.width + 2 {
                frame.render_widget(
                    ratatui_image::Image::new(protocol),
                    at(size.width, size.height),
                );
            }
        }
        Some(Thumb::NoPreview) if free >= 1 => frame.render_widget(
            Paragraph::new(Line::styled(
                format!(
                    "▪ {}{}{}",
                    sanitize(&wanted.name),
                    screen.s().colon,
                    screen.s().evidence.no_preview
                ),
                screen.theme.dim(),
            )),
            at(area.width.saturating_sub(2), 1),
        ),
        _ => {}
    }
}

fn render_value_editor(
    screen: &RunScreen,
    frame: &mut Frame,
    area: Rect,
    input: &crate::tui::input::LineInput,
) {
    let Some(item) = screen.current() else { return };
    let s = screen.s();
    let theme = screen.theme;
    let title = match &item.kind {
        ItemKind::SignOff { signer } => {
            let who = signer.get(
                screen.lang.tag(),
                screen.session.checklist.default_language(),
            );
            if who.is_empty() {
                format!(" {} ", s.signer_title)
            } else {
                format!(" {} ({who}) ", s.signer_title)
            }
        }
        _ => match range_text(item) {
            Some(range) => format!(" {} ({range}) ", s.value_title),
            None => format!(" {} ", s.value_title),
        },
    };
    let verdict = match check(item, input.text(), s) {
        _ if input.text().is_empty() => Line::raw(""),
        Verdict::Valid { fails: true, .. } => {
            Line::styled(format!("{SYMBOL_FAIL} {}", s.out_of_range), theme.fail())
        }
        Verdict::Valid { .. } if matches!(item.kind, ItemKind::Number { .. }) => {
            Line::styled(format!("{SYMBOL_PASS} {}", s.in_range), theme.pass())
        }
        Verdict::Valid { .. } => Line::raw(""),
        Verdict::Invalid(why) => Line::styled(format!("! {why}"), theme.warn()),
    };
    render_input_box(screen, frame, area, (&title, s.edit_keys), input, verdict);
}

/// A box at the bottom of `area` with a one-line input, a verdict line and the keys.
fn render_input_box(
    screen: &RunScreen,
    frame: &mut Frame,
    area: Rect,
    (title, keys): (&str, &str),
    input: &crate::tui::input::LineInput,
    verdict: Line,
) {
    let theme = screen.theme;
    let height = 5.min(area.height);
    let rect = Rect {
        y: area.bottom().saturating_sub(height),
        height,
        ..area
    };
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.key())
        .title(Span::styled(title.to_owned(), theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let text = sanitize(input.text());
    // Keep the cursor in view when the text is wider than the box.
    let room = usize::from(inner.width.saturating_sub(1));
    let skip = input.cursor_width().saturating_sub(room);
    let visible: String = skip_columns(&text, skip);
    let lines = vec![Line::raw(visible), verdict, Line::styled(keys, theme.dim())];
    frame.render_widget(Paragraph::new(lines), inner);
    let x = inner.x + u16::try_from(input.cursor_width() - skip).unwrap_or(0);
    frame.set_cursor_position(Position::new(
        x.min(inner.right().saturating_sub(1)),
        inner.y,
    ));
}

fn skip_columns(text: &str, columns: usize) -> String {
    let mut skipped = 0;
    text.chars()
        .skip_while(|c| {
            let take = skipped < columns;
            skipped += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            take
        })
        .collect()
}

fn render_summary(screen: &RunScreen, frame: &mut Frame, area: Rect, confirming: bool) {
    let s = screen.s();
    let theme = screen.theme;
    let checklist = &screen.session.checklist;
    let eval = &screen.session.eval;
    let lang = screen.lang.tag();
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(
            format!(" {} ", s.summary_title),
            theme.title(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width).max(4);
    let mut lines = Vec::new();
    let score = eval
        .score
        .map_or("—".to_owned(), |v| format!("{:.1}%", v * 100.0));
    // An open visit with required items missing has no result yet: never PASS "so far".
    let shown = eval.result_so_far(screen.session.status().is_open());
    let (result, style) = match shown {
        ShownResult::Incomplete => (format!("{SYMBOL_MISSING} {}", s.incomplete), theme.warn()),
        ShownResult::Pass => (
            format!("{SYMBOL_PASS} {}", s.pass.to_uppercase()),
            theme.pass(),
        ),
        ShownResult::FailSoFar => (
            format!("{SYMBOL_FAIL} {} ({})", s.fail.to_uppercase(), s.so_far),
            theme.fail(),
        ),
        ShownResult::Fail => (
            format!("{SYMBOL_FAIL} {}", s.fail.to_uppercase()),
            theme.fail(),
        ),
    };
    let counts = format!(
        "{SYMBOL_PASS} {}  {SYMBOL_FAIL} {}  {SYMBOL_NA} {}   {} {}/{}",
        eval.passed, eval.failed, eval.na, s.answered_of, eval.required_answered, eval.required
    );
    let mut first = Line::from(vec![
        Span::styled(format!("{}{}", s.result, s.colon), theme.title()),
        Span::styled(result, style),
        Span::raw(format!(
            "   {} {score} (≥ {:.0}%)",
            s.score,
            checklist.pass_score * 100.0,
        )),
    ]);
    // The counts go on a line of their own when the terminal is too narrow for one.
    if first.width() + 3 + counts.width() <= width {
        first.spans.push(Span::raw(format!("   {counts}")));
        lines.push(first);
    } else {
        lines.push(first);
        lines.push(Line::raw(counts));
    }
    match screen.session.status() {
        Status::Finished { at } => lines.push(Line::styled(
            format!("{} {}", s.finished, crate::visit::start_time(at)),
            theme.warn(),
        )),
        Status::Abandoned { at, reason } => lines.push(Line::styled(
            format!(
                "{} {}{}{}",
                s.abandoned,
                crate::visit::start_time(at),
                s.colon,
                sanitize(reason)
            ),
            theme.warn(),
        )),
        Status::Open => {}
    }
    lines.push(Line::raw(""));
    let items: Vec<_> = checklist.items().map(|(_, i)| i).collect();
    lines.push(Line::styled(
        format!("{} ({})", s.failures, eval.failed),
        theme.title(),
    ));
    let mut any = false;
    for (i, status) in eval.items.iter().enumerate() {
        if status.outcome == Some(Outcome::Fail) {
            any = true;
            let item = items[i];
            let note = screen
                .session
                .view
                .answers
                .get(&item.id)
                .and_then(|a| a.note.as_deref())
                .unwrap_or("");
            let note = if note.is_empty() {
                String::new()
            } else {
                format!(" — {}", sanitize(note))
            };
            let prompt = sanitize(checklist.text(&item.prompt, lang));
            lines.push(Line::styled(
                format!("  {SYMBOL_FAIL} {}", fit(&prompt, &note, width - 4)),
                theme.fail(),
            ));
        }
    }
    if !any {
        lines.push(Line::styled(format!("  {}", s.no_failures), theme.dim()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("{} ({})", s.missing, eval.missing_count()),
        theme.title(),
    ));
    let mut any = false;
    for (i, status) in eval.items.iter().enumerate() {
        let what = if status.missing {
            Some(String::new())
        } else if status.note_missing {
            Some(format!(" ({})", s.missing_note))
        } else if status.evidence_missing {
            Some(format!(" ({})", s.evidence.missing))
        } else {
            None
        };
        if let Some(what) = what {
            any = true;
            let prompt = sanitize(checklist.text(&items[i].prompt, lang));
            lines.push(Line::styled(
                format!("  {SYMBOL_MISSING} {}", fit(&prompt, &what, width - 4)),
                theme.warn(),
            ));
        }
    }
    if !any {
        lines.push(Line::styled(
            format!("  {}", s.nothing_missing),
            theme.pass(),
        ));
    }
    // Keys stay on the last row, whatever the list above holds.
    let height = usize::from(inner.height);
    let keys = if confirming {
        Line::styled(s.confirm_finish, theme.warn())
    } else if screen.session.is_read_only() {
        Line::styled("Esc", theme.key())
    } else {
        Line::styled(s.summary_keys, theme.key())
    };
    let room = height.saturating_sub(1);
    if lines.len() > room && room > 0 {
        // Say what did not fit rather than cutting the list silently.
        let hidden = lines.len() - room + 1;
        lines.truncate(room - 1);
        lines.push(Line::styled(format!("  … +{hidden}"), theme.dim()));
    }
    while lines.len() < height.saturating_sub(1) {
        lines.push(Line::raw(""));
    }
    lines.push(keys);
    frame.render_widget(Paragraph::new(lines), inner);
    if let Overlay::Abandon(input) = &screen.overlay {
        let title = format!(" {} ", s.abandon_title);
        render_input_box(
            screen,
            frame,
            inner,
            (&title, s.abandon_keys),
            input,
            Line::raw(""),
        );
    }
}

/// `text` then `tail` in `width` columns: the text gives way first, so a short tail (a note,
/// "note missing") stays readable; a long tail still leaves the text half the room.
fn fit(text: &str, tail: &str, width: usize) -> String {
    let text_room = width.saturating_sub(tail.width()).max(width / 2);
    truncate(&format!("{}{tail}", truncate(text, text_room)), width)
}

fn render_help(screen: &RunScreen, frame: &mut Frame, area: Rect, scroll: usize) -> usize {
    let s = screen.s();
    crate::tui::help::render_key_help(
        frame,
        area,
        (s.help_title, s.help_scroll),
        s.help_lines,
        scroll,
        screen.theme,
    )
}

fn render_notice(screen: &RunScreen, frame: &mut Frame, area: Rect) {
    let s = screen.s();
    let theme = screen.theme;
    let line = match &screen.notice {
        Some(Notice::Saved(seq)) => Line::styled(format!("✓ {} #{seq}", s.saved), theme.pass()),
        Some(Notice::Info(text)) => Line::styled(text.clone(), theme.warn()),
        Some(Notice::Error(text)) => Line::styled(format!("✗ {text}"), theme.error()),
        None => Line::raw(""),
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn render_footer(screen: &RunScreen, frame: &mut Frame, area: Rect) {
    let s = screen.s();
    // A closed visit offers only the keys that work on it.
    // `e` shows where it works: on an item that takes evidence.
    let evidence = screen
        .current()
        .is_some_and(|item| item.evidence != EvidencePolicy::Never);
    let ev = s.evidence;
    let (long, short) = match screen.session.status() {
        Status::Open if evidence => (ev.run_keys, ev.run_keys_short),
        Status::Open => (s.run_keys, s.run_keys_short),
        Status::Finished { .. } if evidence => (ev.run_keys_finished, ev.run_keys_finished_short),
        Status::Finished { .. } => (s.run_keys_finished, s.run_keys_finished_short),
        Status::Abandoned { .. } => (s.run_keys_abandoned, s.run_keys_abandoned_short),
    };
    let keys = if long.width() <= usize::from(area.width) {
        long
    } else {
        short
    };
    frame.render_widget(Paragraph::new(Line::styled(keys, screen.theme.dim())), area);
}

/// Which answer passes, for the item's tag line: the expected yes/no, a number's range,
/// a rating's threshold. Items whose choices carry their own marks say nothing here.
fn pass_rule(item: &crate::checklist::Item, s: &crate::tui::strings::Strings) -> Option<String> {
    let rule = match &item.kind {
        ItemKind::YesNo {
            expect: Some(crate::checklist::YesNo::Yes),
        } => s.yes.to_owned(),
        ItemKind::YesNo {
            expect: Some(crate::checklist::YesNo::No),
        } => s.no.to_owned(),
        ItemKind::Number { .. } => range_text(item)?,
        ItemKind::Rating { pass_at, .. } => format!("≥ {pass_at}★"),
        _ => return None,
    };
    Some(format!("{SYMBOL_PASS} {}{}{rule}", s.passes_if, s.colon))
}

/// The outcome a choice would give, where it is worth showing beside it: not for pass/fail
/// and check (self-evident), nor for answers that neither pass nor fail.
fn choice_outcome(
    item: &crate::checklist::Item,
    choice: &super::choices::Choice,
) -> Option<Outcome> {
    if matches!(item.kind, ItemKind::PassFail | ItemKind::Check) {
        return None;
    }
    let outcome = match choice {
        super::choices::Choice::Set(value) => crate::visit::outcome(item, value),
        super::choices::Choice::Toggle(id) => {
            let fails = item.kind.options().iter().any(|o| o.id == *id && o.fail);
            if fails { Outcome::Fail } else { Outcome::Pass }
        }
    };
    matches!(outcome, Outcome::Pass | Outcome::Fail).then_some(outcome)
}
