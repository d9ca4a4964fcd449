//! The run screen: walking a checklist item by item. State and key handling live here;
//! drawing is in `view`.

pub mod choices;
pub mod editor;
pub mod keymap;
pub mod picker;
pub mod picker_view;
pub mod receipt;
pub mod view;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use std::path::PathBuf;

use crate::checklist::{EvidencePolicy, Item, ItemKind, NotePolicy};
use crate::lang::Lang;
use crate::store::follow_up::FollowUpNote;
use crate::store::session::{Amending, Session};
use crate::visit::{AnswerValue, Outcome};

use super::header_form::{FormResult, HeaderForm};
use super::input::{InputResult, LineInput};
use super::strings::{Strings, strings};
use super::theme::Theme;
use choices::{Choice, choices, is_chosen, letter_choice};
use editor::{Verdict, check};
use keymap::Action;
use picker::{Copying, Pending, Picker, PickerAction};

/// A window over the run screen, at most one at a time.
#[derive(Debug, Default)]
pub enum Overlay {
    #[default]
    None,
    /// The key help, scrolled by this many rows.
    Help {
        scroll: usize,
    },
    /// Typing a number, text or signature for the current item.
    Value(LineInput),
    /// Typing the current item's note; `required` when the answer's policy asked for it,
    /// so that an empty Enter does not close it.
    Note {
        input: LineInput,
        required: bool,
    },
    Summary {
        confirming: bool,
    },
    Abandon(LineInput),
    Header(HeaderForm),
    /// Changing an answer of a finished visit: the new answer, the note, then the reason.
    Amend(Amend),
    /// The receipt code, in large type, for the customer's work order: shown once the
    /// visit is finished and after each amendment; any key goes on.
    Receipt {
        code: String,
        /// Shown on finishing: any key goes back to the summary it was finished from.
        back_to_summary: bool,
    },
    /// Answering the supervisor's general comment (`A` on the header).
    Answer(LineInput),
    /// Attaching photos and files to the current item, or taking them off (`e`).
    Evidence(Picker),
}

/// Where an amendment is: each step's Enter moves to the next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AmendStep {
    #[default]
    Value,
    /// The item's note, offered as it is: kept by Enter, or changed.
    Note,
    Reason,
}

#[derive(Debug, Default)]
pub struct Amend {
    pub step: AmendStep,
    /// The new answer, once chosen.
    pub value: Option<AnswerValue>,
    /// The new note, when the note step changed it (`None`: the note stays as it is).
    pub note: Option<String>,
    /// The typed value (number, text, name), then the note, then the reason.
    pub input: LineInput,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Event `seq` is on disk.
    Saved(u64),
    Info(String),
    Error(String),
}

/// What the run screen asks of the app after a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Stay,
    /// Leave the screen; the visit stays as it is (open, or closed).
    Leave,
}

/// Where things were drawn last, so a mouse click can find what it hit.
#[derive(Clone, Debug, Default)]
pub struct HitMap {
    pub items: Vec<(Rect, usize)>,
    pub choices: Vec<(Rect, usize)>,
    /// The help box's largest scroll offset and its rows, as last drawn.
    pub help_max_scroll: usize,
    pub help_rows: usize,
}

pub struct RunScreen {
    pub session: Session,
    pub lang: Lang,
    pub theme: Theme,
    /// The current item, as an index in file order; always a visible item.
    pub cursor: usize,
    /// The highlighted choice of the current item (for ←/→ and Space).
    pub highlight: usize,
    pub overlay: Overlay,
    pub notice: Option<Notice>,
    pub battery: Option<u8>,
    pub hits: HitMap,
    /// Items per page, for PgUp/PgDn (set from the last drawn list height).
    pub page: usize,
    /// A supervisor's comments when the visit came back for follow-up.
    pub follow_up: Vec<FollowUpNote>,
    /// Who uses sitecheck now: only a visit's own technician amends it.
    pub technician: Option<String>,
    /// The evidence inbox the picker lists (config `evidence_inbox:`).
    pub inbox: PathBuf,
    /// A file to copy in once the screen has said that it is copying, with the reason
    /// when it amends a finished visit.
    pending: Option<(PathBuf, Option<String>)>,
    /// Thumbnails of image attachments, where the terminal can draw them.
    pub thumbnails: Option<crate::tui::thumbnails::Thumbnails>,
}

impl RunScreen {
    pub fn new(session: Session, lang: Lang, theme: Theme) -> Self {
        let mut screen = RunScreen {
            session,
            lang,
            theme,
            cursor: 0,
            highlight: 0,
            overlay: Overlay::None,
            notice: None,
            battery: super::battery::level(),
            hits: HitMap::default(),
            page: 10,
            follow_up: Vec::new(),
            technician: None,
            inbox: crate::config::Config::default().evidence_inbox(),
            pending: None,
            thumbnails: None,
        };
        // Land on the first unfinished item — unanswered and required, or answered but
        // without the note it needs (a visit resumed after a crash in the note editor) —
        // else the first visible one.
        screen.cursor = screen
            .session
            .eval
            .items
            .iter()
            .position(|s| s.missing || s.note_missing || s.evidence_missing)
            .or_else(|| screen.visible().next())
            .unwrap_or(0);
        if let Some(torn) = &screen.session.torn {
            screen.notice = Some(Notice::Info(format!(
                "warning: the last {} bytes of the log were incomplete (power cut?) and were moved to {}",
                torn.bytes,
                torn.moved_to.display()
            )));
        }
        screen
    }

    /// Shows a returned visit's comments, and lands on the first flagged item.
    pub fn set_follow_up(&mut self, notes: Vec<FollowUpNote>) {
        let first_flag = notes
            .iter()
            .filter_map(|n| n.item.as_deref())
            .find_map(|id| {
                self.session
                    .checklist
                    .items()
                    .position(|(_, item)| item.id == id)
            });
        if let Some(index) =
            first_flag.filter(|&i| self.session.eval.items.get(i).is_some_and(|s| s.visible))
        {
            self.move_to(index);
        }
        if let Some(visit_note) = notes.iter().find(|n| n.item.is_none()) {
            let s = self.s();
            let answer = if visit_note.answered {
                String::new()
            } else {
                format!("  ({})", s.answer_hint)
            };
            self.notice = Some(Notice::Info(format!(
                "⚑ {} {}{}{}{answer}",
                s.follow_up,
                crate::present::sanitize(&visit_note.reviewer),
                s.colon,
                crate::present::sanitize(&visit_note.comment)
            )));
        }
        self.follow_up = notes;
    }

    /// The supervisor's general comment is still to be answered.
    pub fn awaits_answer(&self) -> bool {
        self.follow_up
            .iter()
            .any(|n| n.item.is_none() && !n.answered)
    }

    /// The supervisor's comments on one item.
    pub fn flags_on(&self, item: &str) -> impl Iterator<Item = &FollowUpNote> {
        self.follow_up
            .iter()
            .filter(move |n| n.item.as_deref() == Some(item))
    }

    pub fn s(&self) -> &'static Strings {
        strings(self.lang)
    }

    pub fn items(&self) -> Vec<&Item> {
        self.session
            .checklist
            .items()
            .map(|(_, item)| item)
            .collect()
    }

    pub fn item(&self, index: usize) -> Option<&Item> {
        self.session
            .checklist
            .items()
            .nth(index)
            .map(|(_, item)| item)
    }

    pub fn current(&self) -> Option<&Item> {
        self.item(self.cursor)
    }

    /// Indexes of visible items, in order.
    pub fn visible(&self) -> impl Iterator<Item = usize> + '_ {
        self.session
            .eval
            .items
            .iter()
            .enumerate()
            .filter(|(_, s)| s.visible)
            .map(|(i, _)| i)
    }

    fn move_to(&mut self, index: usize) {
        if index != self.cursor {
            self.cursor = index;
            self.highlight = 0;
        }
    }

    fn step(&mut self, forward: bool, by: usize) {
        let visible: Vec<usize> = self.visible().collect();
        let Some(pos) = visible.iter().position(|&i| i >= self.cursor) else {
            if let Some(&last) = visible.last() {
                self.move_to(last);
            }
            return;
        };
        let target = if forward {
            (pos + by).min(visible.len() - 1)
        } else {
            pos.saturating_sub(by)
        };
        self.move_to(visible[target]);
    }

    /// Keeps the cursor on a visible item after answers changed what is shown.
    fn settle(&mut self) {
        if !self
            .session
            .eval
            .items
            .get(self.cursor)
            .is_some_and(|s| s.visible)
        {
            let next = self
                .visible()
                .find(|&i| i > self.cursor)
                .or_else(|| self.visible().last());
            if let Some(next) = next {
                self.move_to(next);
            }
        }
    }

    fn next_missing(&mut self, forward: bool) {
        // Items still owing something: an answer, or the note their answer requires.
        let missing: Vec<usize> = (self.session.eval.items.iter().enumerate())
            .filter(|(_, s)| s.missing || s.note_missing || s.evidence_missing)
            .map(|(i, _)| i)
            .collect();
        let found = if forward {
            missing
                .iter()
                .find(|&&i| i > self.cursor)
                .or(missing.first())
        } else {
            missing
                .iter()
                .rev()
                .find(|&&i| i < self.cursor)
                .or(missing.last())
        };
        match found {
            Some(&i) => self.move_to(i),
            None => self.notice = Some(Notice::Info(self.s().nothing_missing.into())),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Flow {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            self.keep_typed();
            self.leave();
            return Flow::Leave;
        }
        match std::mem::take(&mut self.overlay) {
            Overlay::None => return self.handle_run_key(key),
            Overlay::Help { scroll } => {
                let page = self.hits.help_rows;
                if let Some(scroll) = super::help::scroll_key(key.code, scroll, page) {
                    let scroll = scroll.min(self.hits.help_max_scroll);
                    self.overlay = Overlay::Help { scroll };
                } else if !matches!(
                    key.code,
                    KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter
                ) {
                    self.overlay = Overlay::Help { scroll };
                }
            }
            Overlay::Value(input) => self.handle_value_key(input, key),
            Overlay::Note { input, required } => self.handle_note_key(input, required, key),
            Overlay::Summary { confirming } => return self.handle_summary_key(confirming, key),
            Overlay::Abandon(input) => self.handle_abandon_key(input, key),
            Overlay::Header(form) => self.handle_header_key(form, key),
            Overlay::Amend(amend) => self.handle_amend_key(amend, key),
            // `q` leaves as it does from the summary; any other key goes on (the code is in
            // `show` and the reports as well).
            Overlay::Receipt { .. } if key.code == KeyCode::Char('q') => return self.leave_now(),
            Overlay::Receipt {
                back_to_summary, ..
            } => {
                if back_to_summary {
                    self.overlay = Overlay::Summary { confirming: false };
                }
            }
            Overlay::Answer(input) => self.handle_answer_key(input, key),
            Overlay::Evidence(picker) => self.handle_picker_key(picker, key),
        }
        Flow::Stay
    }

    fn handle_run_key(&mut self, key: KeyEvent) -> Flow {
        match keymap::action(key) {
            Some(action) => self.update(action),
            None => Flow::Stay,
        }
    }

    /// Does what an action asks, on the current item.
    fn update(&mut self, action: Action) -> Flow {
        let Some(item) = self.current().cloned() else {
            return if action == Action::Leave {
                self.leave_now()
            } else {
                Flow::Stay
            };
        };
        match action {
            Action::Previous => self.step(false, 1),
            Action::Next => self.step(true, 1),
            Action::PageUp => self.step(false, self.page.max(1)),
            Action::PageDown => self.step(true, self.page.max(1)),
            Action::First => self.step(false, usize::MAX / 2),
            Action::Last => self.step(true, usize::MAX / 2),
            Action::PreviousMissing => self.next_missing(false),
            Action::NextMissing => self.next_missing(true),
            Action::Help => self.overlay = Overlay::Help { scroll: 0 },
            Action::Summary => self.overlay = Overlay::Summary { confirming: false },
            Action::Header => {
                let mut form = HeaderForm::editing(
                    &self.session.checklist,
                    &self.session.view.fields,
                    self.lang,
                    self.session.is_read_only(),
                );
                form.answerable = self.session.is_read_only() && self.awaits_answer();
                self.overlay = Overlay::Header(form);
            }
            Action::Leave => return self.leave_now(),
            Action::HighlightLeft => self.highlight = self.highlight.saturating_sub(1),
            Action::HighlightRight => {
                let count = self.current_choices().len();
                self.highlight = (self.highlight + 1).min(count.saturating_sub(1));
            }
            Action::Toggle => self.space(&item),
            Action::Enter => {
                if item.kind.is_typed() {
                    if self.writable() {
                        self.overlay = Overlay::Value(LineInput::new(&self.typed_value(&item)));
                    }
                } else {
                    self.step(true, 1);
                }
            }
            Action::Note => self.open_note(&item),
            Action::Evidence => self.open_picker(&item),
            Action::Amend => {
                if self.may_amend(false) {
                    self.overlay = Overlay::Amend(Amend::default());
                }
            }
            Action::Clear => {
                if self.writable() {
                    self.session.clear(&item.id);
                    self.after_change();
                }
            }
            Action::Char(c) => self.char_key(&item, c),
        }
        Flow::Stay
    }

    /// A character on the current item: on a number item digits and signs begin the
    /// number itself (they are never answer keys: a `1` there must not record N/A);
    /// elsewhere a digit is the n-th answer and p f y n are pass, fail, yes, no.
    fn char_key(&mut self, item: &Item, c: char) {
        if starts_number(item, c) {
            if self.writable() {
                self.overlay = Overlay::Value(LineInput::new(&c.to_string()));
            }
            return;
        }
        let chosen = match c {
            '1'..='9' => {
                let n = c as usize - '1' as usize;
                self.current_choices()
                    .into_iter()
                    .nth(n)
                    .map(|(choice, _)| (Some(n), choice))
            }
            _ => letter_choice(item, c).map(|value| (None, Choice::Set(value))),
        };
        match chosen {
            Some((highlight, choice)) => {
                if let Some(n) = highlight {
                    self.highlight = n;
                }
                self.choose(item, choice);
            }
            None => self.does_nothing(c),
        }
    }

    /// Says that a key has no use on this item, rather than ignoring it silently.
    fn does_nothing(&mut self, key: char) {
        let s = self.s();
        self.notice = Some(Notice::Info(format!(
            "{key}{}{}",
            s.colon, s.key_does_nothing
        )));
    }

    /// Ctrl-C leaves from anywhere: what an editor holds is saved first, where it can be —
    /// a note as typed, a value when it is valid. Reasons (abandon, amend) are not acted on.
    fn keep_typed(&mut self) {
        let Some(item) = self.current().cloned() else {
            return;
        };
        match std::mem::take(&mut self.overlay) {
            Overlay::Note { input, .. } => {
                let note = input.text().trim();
                if !note.is_empty() && note != self.note_of(&item) {
                    self.session.note(&item.id, note);
                    self.after_change();
                }
            }
            Overlay::Value(input) => {
                if let Verdict::Valid { value, .. } = check(&item, input.text(), self.s()) {
                    self.session.answer(&item.id, value);
                    self.after_change();
                }
            }
            Overlay::Header(form) if !self.session.is_read_only() => {
                if let Some(fields) = form.changed_values(&self.session.checklist) {
                    self.session.set_fields(fields);
                    self.after_change();
                }
            }
            _ => {}
        }
    }

    pub fn current_choices(&self) -> Vec<(Choice, String)> {
        let Some(item) = self.current() else {
            return Vec::new();
        };
        let s = self.s();
        choices(
            item,
            self.lang.tag(),
            self.session.checklist.default_language(),
            s,
        )
    }

    /// Refuses changes to a closed visit, saying why.
    fn writable(&mut self) -> bool {
        if self.session.is_read_only() {
            let s = self.s();
            let status = if matches!(self.session.status(), crate::visit::Status::Finished { .. }) {
                s.finished
            } else {
                s.abandoned
            };
            self.notice = Some(Notice::Info(format!("{status} — {}", s.read_only)));
            return false;
        }
        true
    }

    fn space(&mut self, item: &Item) {
        let current = self.value_of(item);
        match item.kind {
            ItemKind::Check if current == Some(AnswerValue::Done) => {
                if self.writable() {
                    self.session.clear(&item.id);
                    self.after_change();
                }
            }
            _ => {
                if let Some((choice, _)) = self.current_choices().into_iter().nth(self.highlight) {
                    self.choose(item, choice);
                }
            }
        }
    }

    fn choose(&mut self, item: &Item, choice: Choice) {
        if !self.writable() {
            return;
        }
        let current = self.value_of(item);
        let moves_on = match choice {
            Choice::Set(value) => {
                self.session.answer(&item.id, value);
                true
            }
            Choice::Toggle(id) => {
                let chosen = match current {
                    Some(AnswerValue::Choices(ids)) => ids,
                    _ => Vec::new(),
                };
                // An exclusive option ("None") clears the others, and they clear it.
                let chosen = crate::visit::toggle_option(item.kind.options(), &chosen, &id);
                if chosen.is_empty() {
                    self.session.clear(&item.id);
                } else {
                    self.session.answer(&item.id, AnswerValue::Choices(chosen));
                }
                false
            }
        };
        self.after_change();
        if self.note_needed(item) {
            self.open_required_note();
        } else if moves_on {
            self.move_on(item);
        }
    }

    /// After an answer: the next item, unless this one now wants a photo it does not have
    /// (then it stays, saying so, as a required note keeps its editor open).
    fn move_on(&mut self, item: &Item) {
        let index = self.items().iter().position(|i| i.id == item.id);
        let photo_missing = index
            .and_then(|i| self.session.eval.items.get(i))
            .is_some_and(|s| s.evidence_missing);
        if !photo_missing {
            self.step(true, 1);
            return;
        }
        let s = self.s();
        let saved = match self.notice {
            Some(Notice::Saved(seq)) => format!("✓ {} #{seq} · ", s.saved),
            _ => String::new(),
        };
        self.notice = Some(Notice::Info(format!("{saved}{} (e)", s.evidence.required)));
    }

    /// The item's policy asks for a note its answer does not have yet.
    fn note_needed(&self, item: &Item) -> bool {
        let index = self
            .session
            .checklist
            .items()
            .position(|(_, i)| i.id == item.id);
        let status = index.and_then(|i| self.session.eval.items.get(i));
        status.is_some_and(|s| s.note_missing)
            || (item.note == NotePolicy::Always
                && status.is_some_and(|s| s.outcome.is_some())
                && self.note_of(item).is_empty())
    }

    fn value_of(&self, item: &Item) -> Option<AnswerValue> {
        self.session
            .view
            .answers
            .get(&item.id)
            .and_then(|s| s.value.clone())
    }

    fn note_of(&self, item: &Item) -> String {
        self.session
            .view
            .answers
            .get(&item.id)
            .and_then(|s| s.note.clone())
            .unwrap_or_default()
    }

    fn open_note(&mut self, item: &Item) {
        if !self.writable() {
            return;
        }
        if item.note == NotePolicy::Never {
            self.notice = Some(Notice::Info("—".into()));
            return;
        }
        self.overlay = Overlay::Note {
            input: LineInput::new(&self.note_of(item)),
            required: self.note_needed(item),
        };
    }

    /// The note editor, opened because the answer just given needs a note.
    fn open_required_note(&mut self) {
        self.overlay = Overlay::Note {
            input: LineInput::default(),
            required: true,
        };
    }

    fn typed_value(&self, item: &Item) -> String {
        match self
            .session
            .view
            .answers
            .get(&item.id)
            .and_then(|s| s.value.as_ref())
        {
            Some(AnswerValue::Number(n)) => n.to_string(),
            Some(AnswerValue::Text(t) | AnswerValue::SignOff(t)) => t.clone(),
            _ => String::new(),
        }
    }

    fn handle_value_key(&mut self, mut input: LineInput, key: KeyEvent) {
        let Some(item) = self.current().cloned() else {
            return;
        };
        match input.handle(key) {
            InputResult::Cancel => {}
            InputResult::Submit => match check(&item, input.text(), self.s()) {
                Verdict::Valid { value, .. } => {
                    self.session.answer(&item.id, value);
                    self.after_change();
                    if self.note_needed(&item) {
                        self.open_required_note();
                    } else {
                        self.move_on(&item);
                    }
                }
                Verdict::Invalid(_) => self.overlay = Overlay::Value(input),
            },
            _ => self.overlay = Overlay::Value(input),
        }
    }

    fn handle_note_key(&mut self, mut input: LineInput, required: bool, key: KeyEvent) {
        let Some(item) = self.current().cloned() else {
            return;
        };
        match input.handle(key) {
            InputResult::Cancel => {
                if required {
                    // Keep saying that the answer is on disk: only its note is missing.
                    let s = self.s();
                    let saved = match self.notice {
                        Some(Notice::Saved(seq)) => format!("✓ {} #{seq} · ", s.saved),
                        _ => String::new(),
                    };
                    self.notice = Some(Notice::Info(format!("{saved}{}", s.note_left_missing)));
                }
            }
            // An editor opened because a note is required stays open until it has one.
            InputResult::Submit if required && input.text().trim().is_empty() => {
                self.notice = Some(Notice::Info(self.s().note_still_required.into()));
                self.overlay = Overlay::Note { input, required };
            }
            InputResult::Submit => {
                let note = input.text().trim().to_owned();
                if note != self.note_of(&item) {
                    self.session.note(&item.id, &note);
                    self.after_change();
                }
                let answered = self
                    .session
                    .view
                    .answers
                    .get(&item.id)
                    .is_some_and(|s| s.value.is_some());
                if answered
                    && !item.kind.options().is_empty()
                    && matches!(item.kind, ItemKind::MultiChoice { .. })
                {
                    // Stay on a multi-choice item: more options may follow.
                } else if answered && !note.is_empty() {
                    self.move_on(&item);
                }
            }
            _ => self.overlay = Overlay::Note { input, required },
        }
    }

    fn handle_summary_key(&mut self, confirming: bool, key: KeyEvent) -> Flow {
        if confirming {
            match key.code {
                KeyCode::Char('y') => {
                    self.overlay = Overlay::Summary { confirming: false };
                    if self.session.finish() {
                        self.after_change();
                        self.session.refresh_index();
                        self.show_receipt(true);
                    } else {
                        self.notice = Some(Notice::Error(self.s().cannot_finish.into()));
                    }
                }
                _ => self.overlay = Overlay::Summary { confirming: false },
            }
            return Flow::Stay;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Char('s') => {}
            KeyCode::Char('q') => return self.leave_now(),
            KeyCode::Enter if !self.session.is_read_only() => {
                if self.session.eval.can_finish() {
                    self.overlay = Overlay::Summary { confirming: true };
                } else {
                    self.notice = Some(Notice::Error(self.s().cannot_finish.into()));
                    self.overlay = Overlay::Summary { confirming: false };
                }
            }
            KeyCode::Char('A') if !self.session.is_read_only() => {
                self.overlay = Overlay::Abandon(LineInput::default())
            }
            _ => self.overlay = Overlay::Summary { confirming: false },
        }
        Flow::Stay
    }

    /// The receipt of the line just written, when it is on disk.
    fn show_receipt(&mut self, back_to_summary: bool) {
        if let Some(code) = self.session.last_receipt.take() {
            self.overlay = Overlay::Receipt {
                code,
                back_to_summary,
            };
        }
    }

    fn handle_abandon_key(&mut self, mut input: LineInput, key: KeyEvent) {
        match input.handle(key) {
            InputResult::Cancel => self.overlay = Overlay::Summary { confirming: false },
            InputResult::Submit if !input.text().trim().is_empty() => {
                self.session.abandon(input.text().trim());
                self.after_change();
                self.session.refresh_index();
                self.overlay = Overlay::Summary { confirming: false };
            }
            _ => self.overlay = Overlay::Abandon(input),
        }
    }

    /// Whether the one using sitecheck may amend this visit; if not, says why on screen.
    fn may_amend(&mut self, answering: bool) -> bool {
        match self
            .session
            .may_amend(self.technician.as_deref(), answering)
        {
            Ok(()) => true,
            Err(refused) => {
                self.notice = Some(Notice::Error(self.s().amend_refused(&refused)));
                false
            }
        }
    }

    fn handle_amend_key(&mut self, mut amend: Amend, key: KeyEvent) {
        let Some(item) = self.current().cloned() else {
            return;
        };
        if key.code == KeyCode::Esc {
            return;
        }
        match amend.step {
            AmendStep::Value => self.choose_amended_value(&item, &mut amend, key),
            AmendStep::Note => {
                if amend.input.handle(key) == InputResult::Submit {
                    let note = amend.input.text().trim().to_owned();
                    amend.note = (note != self.note_of(&item)).then_some(note);
                    amend.input = LineInput::default();
                    amend.step = AmendStep::Reason;
                }
            }
            // The reason, which the log requires.
            AmendStep::Reason => match (amend.input.handle(key), amend.value.clone()) {
                (InputResult::Submit, Some(value)) if !amend.input.text().trim().is_empty() => {
                    let reason = amend.input.text().trim().to_owned();
                    let technician = self.technician.clone();
                    match self.session.amend(
                        technician.as_deref(),
                        &item.id,
                        value,
                        amend.note.take(),
                        &reason,
                    ) {
                        Ok(()) => {
                            for flag in self.follow_up.iter_mut() {
                                if flag.item.as_deref() == Some(item.id.as_str()) {
                                    flag.answered = true;
                                }
                            }
                            self.after_change();
                            self.show_receipt(false);
                        }
                        Err(refused) => {
                            self.notice = Some(Notice::Error(self.s().amend_refused(&refused)))
                        }
                    }
                    return;
                }
                _ => {}
            },
        }
        self.overlay = Overlay::Amend(amend);
    }

    /// The first step of an amendment: the new answer, by its key or typed; then the note
    /// (offered as it is) unless the item takes none, then the reason.
    fn choose_amended_value(&mut self, item: &Item, amend: &mut Amend, key: KeyEvent) {
        if item.kind.is_typed() {
            if amend.input.handle(key) == InputResult::Submit
                && let Verdict::Valid { value, .. } = check(item, amend.input.text(), self.s())
            {
                amend.value = Some(value);
            }
        } else if let KeyCode::Char(c) = key.code {
            let chosen = match c {
                '1'..='9' => self
                    .current_choices()
                    .into_iter()
                    .nth(c as usize - '1' as usize)
                    .map(|(choice, _)| choice),
                _ => letter_choice(item, c).map(Choice::Set),
            };
            amend.value = match chosen {
                Some(Choice::Set(value)) => Some(value),
                Some(Choice::Toggle(id)) => Some(AnswerValue::Choices(vec![id])),
                None => None,
            };
        }
        if amend.value.is_some() {
            if item.note == NotePolicy::Never {
                amend.input = LineInput::default();
                amend.step = AmendStep::Reason;
            } else {
                amend.input = LineInput::new(&self.note_of(item));
                amend.step = AmendStep::Note;
            }
        }
    }

    /// The answer to the supervisor's general comment: written when Enter gives one.
    fn handle_answer_key(&mut self, mut input: LineInput, key: KeyEvent) {
        match input.handle(key) {
            InputResult::Cancel => {}
            InputResult::Submit if !input.text().trim().is_empty() => {
                let answer = input.text().trim().to_owned();
                let technician = self.technician.clone();
                match self
                    .session
                    .answer_follow_up(technician.as_deref(), &answer)
                {
                    Ok(()) => {
                        for note in self.follow_up.iter_mut().filter(|n| n.item.is_none()) {
                            note.answered = true;
                        }
                        self.after_change();
                        self.show_receipt(false);
                    }
                    Err(refused) => {
                        self.notice = Some(Notice::Error(self.s().amend_refused(&refused)))
                    }
                }
            }
            _ => self.overlay = Overlay::Answer(input),
        }
    }

    fn handle_header_key(&mut self, mut form: HeaderForm, key: KeyEvent) {
        // `A` on the header of a closed visit answers the supervisor's general comment.
        if key.code == KeyCode::Char('A') && self.session.is_read_only() {
            // Whose visit it is comes first: that is what someone else needs to hear.
            if !self.may_amend(true) {
                self.overlay = Overlay::Header(form);
            } else if !self.follow_up.iter().any(|n| n.item.is_none()) {
                self.notice = Some(Notice::Info(self.s().nothing_to_answer.into()));
                self.overlay = Overlay::Header(form);
            } else {
                self.overlay = Overlay::Answer(LineInput::default());
            }
            return;
        }
        match form.handle_key(key, &self.session.checklist) {
            FormResult::Cancel => {}
            FormResult::Done(fields) => {
                if !self.session.is_read_only() {
                    self.session.set_fields(fields);
                    self.after_change();
                }
            }
            FormResult::Editing => self.overlay = Overlay::Header(form),
        }
    }

    /// `e`: the picker over the inbox, on an item that takes evidence; on a finished visit
    /// only for its own technician (the change is an amendment, with a reason).
    fn open_picker(&mut self, item: &Item) {
        if item.evidence == EvidencePolicy::Never {
            self.notice = Some(Notice::Info(self.s().evidence.takes_none.into()));
            return;
        }
        let finished = matches!(self.session.status(), crate::visit::Status::Finished { .. });
        if finished {
            if !self.may_amend(false) {
                return;
            }
        } else if !self.writable() {
            return;
        }
        let files = crate::store::inbox::list(&crate::store::inbox::folders(&self.inbox));
        let mut picker = Picker::new(self.inbox.clone(), files);
        // On the newest file: the attachments above it are taken off, not chosen.
        picker.highlight = self.attachments().len();
        self.overlay = Overlay::Evidence(picker);
    }

    /// The current item's attachments, as the view shows them.
    pub fn attachments(&self) -> &[crate::visit::Attachment] {
        self.current()
            .and_then(|item| self.session.view.answers.get(&item.id))
            .map_or(&[], |state| state.evidence.as_slice())
    }

    fn handle_picker_key(&mut self, mut picker: Picker, key: KeyEvent) {
        let attached = self.attachments().to_vec();
        let (pending, reason) = match picker.handle(key, &attached) {
            PickerAction::Close => return,
            PickerAction::Stay => {
                self.overlay = Overlay::Evidence(picker);
                return;
            }
            PickerAction::Do(pending) if self.session.is_read_only() => {
                picker.ask_reason(pending);
                self.overlay = Overlay::Evidence(picker);
                return;
            }
            PickerAction::Do(pending) => (pending, None),
            PickerAction::DoWithReason(pending, reason) => (pending, Some(reason)),
        };
        match pending {
            Pending::Attach(path) => {
                // The copy is made once the screen says so (`work`): a big file takes a moment.
                picker.copying = Some(Copying {
                    name: file_name(&path),
                    size: std::fs::metadata(&path).ok().map(|m| m.len()),
                });
                self.pending = Some((path, reason));
                self.overlay = Overlay::Evidence(picker);
            }
            Pending::Detach { sha256, name } => {
                let Some(item) = self.current().map(|i| i.id.clone()) else {
                    return;
                };
                let technician = self.technician.clone();
                let amending = reason.as_deref().map(|reason| Amending {
                    technician: technician.as_deref(),
                    reason,
                });
                match self.session.detach(&item, &sha256, amending) {
                    Ok(()) => {
                        self.evidence_changed(self.s().evidence.detached, &name, reason.is_some())
                    }
                    Err(err) => {
                        let s = self.s();
                        self.notice = Some(Notice::Error(s.attach_error(&name, &err)));
                    }
                }
                picker.settle(self.attachments());
                if matches!(self.overlay, Overlay::None) {
                    self.overlay = Overlay::Evidence(picker);
                }
            }
        }
    }

    /// Whether a file waits to be copied in: the loop draws first, then calls `work`.
    pub fn has_work(&self) -> bool {
        self.pending.is_some()
    }

    /// Copies in the file the picker chose (the screen already says it is copying) and
    /// attaches it; then the thumbnails' work. True when something shown changed.
    pub fn work(&mut self) -> bool {
        let mut changed = false;
        if let Some((path, reason)) = self.pending.take() {
            self.attach_now(&path, reason);
            changed = true;
        }
        if let Some(thumbnails) = &mut self.thumbnails {
            changed |= thumbnails.take_ready();
        }
        if let Some(wanted) = self.wanted_thumbnail()
            && let Some(thumbnails) = &mut self.thumbnails
        {
            thumbnails.want(&wanted, self.session.data_dir());
        }
        changed
    }

    fn attach_now(&mut self, path: &std::path::Path, reason: Option<String>) {
        let Some(item) = self.current().map(|i| i.id.clone()) else {
            return;
        };
        let name = file_name(path);
        let technician = self.technician.clone();
        let amending = reason.as_deref().map(|reason| Amending {
            technician: technician.as_deref(),
            reason,
        });
        let result = self.session.attach(&item, path, amending);
        let Overlay::Evidence(mut picker) = std::mem::take(&mut self.overlay) else {
            return;
        };
        picker.copying = None;
        match result {
            Ok(stored) => {
                // Past the attachments, so the next Enter does not attach the same file.
                picker.input.set("");
                self.evidence_changed(self.s().evidence.attached, &stored.name, reason.is_some());
                picker.settle(self.attachments());
            }
            Err(err) => {
                let s = self.s();
                self.notice = Some(Notice::Error(s.attach_error(&name, &err)));
            }
        }
        if matches!(self.overlay, Overlay::None) {
            self.overlay = Overlay::Evidence(picker);
        }
    }

    /// After an attachment went on or off: say so with the save; an amendment shows its
    /// receipt.
    fn evidence_changed(&mut self, what: &str, name: &str, amended: bool) {
        self.after_change();
        if let Some(Notice::Saved(seq)) = self.notice {
            let s = self.s();
            self.notice = Some(Notice::Info(format!(
                "✓ {} #{seq} · {what}{}{}",
                s.saved,
                s.colon,
                crate::present::sanitize(name)
            )));
        }
        if amended {
            self.show_receipt(false);
        }
    }

    /// The image attachment whose thumbnail is wanted now: the one highlighted in the
    /// picker, else the item's last image.
    pub fn wanted_thumbnail(&self) -> Option<crate::visit::Attachment> {
        let attached = self.attachments();
        if let Overlay::Evidence(picker) = &self.overlay {
            return attached
                .get(picker.highlight)
                .filter(|a| a.is_image())
                .cloned();
        }
        attached.iter().rev().find(|a| a.is_image()).cloned()
    }

    pub fn handle_mouse(&mut self, mouse: MouseEvent) {
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) if matches!(self.overlay, Overlay::None) => {
                let hit = |r: &Rect| {
                    mouse.column >= r.x
                        && mouse.column < r.x + r.width
                        && mouse.row >= r.y
                        && mouse.row < r.y + r.height
                };
                if let Some(&(_, index)) = self.hits.items.iter().find(|(r, _)| hit(r)) {
                    self.move_to(index);
                } else if let Some(&(_, n)) = self.hits.choices.iter().find(|(r, _)| hit(r))
                    && let (Some(item), Some((choice, _))) = (
                        self.current().cloned(),
                        self.current_choices().into_iter().nth(n),
                    )
                {
                    self.highlight = n;
                    self.choose(&item, choice);
                }
            }
            MouseEventKind::ScrollDown if matches!(self.overlay, Overlay::None) => {
                self.step(true, 1)
            }
            MouseEventKind::ScrollUp if matches!(self.overlay, Overlay::None) => {
                self.step(false, 1)
            }
            _ => {}
        }
    }

    /// After any change: say whether it is on disk, and keep the cursor on a shown item.
    fn after_change(&mut self) {
        self.notice = Some(match &self.session.write_error {
            Some(err) => Notice::Error(format!("{}: {err}", self.s().not_saved)),
            None => Notice::Saved(self.session.last_saved_seq),
        });
        self.settle();
    }

    /// Called on a timer: retry unsaved changes, refresh the battery.
    pub fn tick(&mut self) {
        if !self.session.all_saved() {
            self.session.retry();
            self.after_change();
        }
    }

    pub fn refresh_battery(&mut self) {
        self.battery = super::battery::level();
    }

    fn leave_now(&mut self) -> Flow {
        self.leave();
        Flow::Leave
    }

    /// Saves and leaves: a `paused` event for an open visit.
    pub fn leave(&mut self) {
        self.session.pause();
    }

    /// The outcome shown for an item (None when unanswered or hidden).
    pub fn outcome_of(&self, index: usize) -> Option<Outcome> {
        self.session.eval.items.get(index).and_then(|s| s.outcome)
    }

    /// The visit's name as SPEC section 4 gives it (work order, first required text field,
    /// start time).
    pub fn visit_name(&self) -> String {
        let view = &self.session.view;
        crate::visit::visit_name(
            &self.session.checklist.visit_fields,
            |id| view.fields.get(id).and_then(|v| v.as_str()),
            &view.started_at,
        )
    }

    pub fn is_chosen(&self, choice: &Choice) -> bool {
        let current = self
            .current()
            .and_then(|i| self.session.view.answers.get(&i.id))
            .and_then(|s| s.value.as_ref());
        is_chosen(choice, current)
    }
}

/// A file's own name, for messages (the path when it has none).
fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Whether a typed character begins a number on this item.
fn starts_number(item: &Item, c: char) -> bool {
    matches!(item.kind, ItemKind::Number { .. })
        && (c.is_ascii_digit() || matches!(c, '-' | '.' | ','))
}
