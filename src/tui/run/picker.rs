//! The evidence picker (`e` on the run screen): the item's attachments, then the inbox's
//! files newest first; typing filters them, or types a path (Tab completes it). Its state
//! and keys live here; what a chosen row does (attach, take off) is the run screen's.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::store::inbox::{self, InboxFile};
use crate::tui::input::{InputResult, LineInput};
use crate::visit::Attachment;

/// What the picker holds while it is open.
#[derive(Clone, Debug, Default)]
pub struct Picker {
    pub input: LineInput,
    /// The inbox's files, newest first (read when the picker opened).
    pub files: Vec<InboxFile>,
    /// The inbox folder, to say where the files come from.
    pub inbox: PathBuf,
    /// The highlighted row: the attachments first, then the files shown.
    pub highlight: usize,
    /// The names that fit the typed path, after Tab.
    pub completions: Vec<String>,
    /// A file being copied in, shown until the copy is done.
    pub copying: Option<Copying>,
    /// On a finished visit: the change waiting for its reason.
    pub reason: Option<(Pending, LineInput)>,
}

/// A file on its way into the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copying {
    pub name: String,
    pub size: Option<u64>,
}

/// What a key in the picker asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickerAction {
    Stay,
    Close,
    /// Attach this file (or take this attachment off); on a finished visit the reason is
    /// asked first.
    Do(Pending),
    /// The reason typed for a change to a finished visit.
    DoWithReason(Pending, String),
}

/// A change to the item's evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    Attach(PathBuf),
    Detach { sha256: String, name: String },
}

/// The rows the picker shows under its input.
pub enum Row<'a> {
    Attached(&'a Attachment),
    File(&'a InboxFile),
}

impl Picker {
    pub fn new(inbox: PathBuf, files: Vec<InboxFile>) -> Picker {
        Picker {
            inbox,
            files,
            ..Picker::default()
        }
    }

    /// Whether the input holds a path rather than a filter.
    pub fn typing_path(&self) -> bool {
        inbox::is_path(self.input.text())
    }

    /// The inbox files that fit the filter (none while a path is typed).
    pub fn shown_files(&self) -> Vec<&InboxFile> {
        if self.typing_path() {
            return Vec::new();
        }
        filter(&self.files, self.input.text())
            .into_iter()
            .filter_map(|i| self.files.get(i))
            .collect()
    }

    /// Every row, attachments first.
    pub fn rows<'a>(&'a self, attached: &'a [Attachment]) -> Vec<Row<'a>> {
        attached
            .iter()
            .map(Row::Attached)
            .chain(self.shown_files().into_iter().map(Row::File))
            .collect()
    }

    /// Handles a key; `attached` are the item's attachments as shown.
    pub fn handle(&mut self, key: KeyEvent, attached: &[Attachment]) -> PickerAction {
        if self.copying.is_some() {
            return PickerAction::Stay;
        }
        if let Some((pending, mut input)) = self.reason.take() {
            return match input.handle(key) {
                InputResult::Cancel => PickerAction::Stay,
                InputResult::Submit if !input.text().trim().is_empty() => {
                    PickerAction::DoWithReason(pending, input.text().trim().to_owned())
                }
                _ => {
                    self.reason = Some((pending, input));
                    PickerAction::Stay
                }
            };
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let count = self.rows(attached).len();
        match key.code {
            KeyCode::Esc => return PickerAction::Close,
            KeyCode::Up => self.highlight = self.highlight.saturating_sub(1),
            KeyCode::Down => self.highlight = (self.highlight + 1).min(count.saturating_sub(1)),
            KeyCode::PageUp => self.highlight = self.highlight.saturating_sub(10),
            KeyCode::PageDown => {
                self.highlight = (self.highlight + 10).min(count.saturating_sub(1))
            }
            KeyCode::Tab if self.typing_path() => {
                let completion = inbox::complete(self.input.text());
                self.input.set(&completion.text);
                self.completions = completion.candidates;
                // A folder completed whole: show what is in it.
                if self.completions.is_empty() && completion.text.ends_with('/') {
                    self.completions = inbox::complete(&completion.text).candidates;
                }
            }
            KeyCode::Delete | KeyCode::Char('d') if key.code == KeyCode::Delete || ctrl => {
                if let Some(Row::Attached(a)) = self.rows(attached).into_iter().nth(self.highlight)
                {
                    return PickerAction::Do(Pending::Detach {
                        sha256: a.sha256.clone(),
                        name: a.name.clone(),
                    });
                }
            }
            KeyCode::Enter => {
                if self.typing_path() {
                    let path = inbox::expand_home(self.input.text());
                    return PickerAction::Do(Pending::Attach(path));
                }
                if let Some(Row::File(file)) = self.rows(attached).into_iter().nth(self.highlight) {
                    return PickerAction::Do(Pending::Attach(file.path.clone()));
                }
            }
            _ => {
                if self.input.handle(key) == InputResult::Changed {
                    // A new filter: the first file that fits, past the attachments.
                    self.highlight = if self.typing_path() {
                        0
                    } else {
                        attached.len()
                    };
                    self.completions.clear();
                }
            }
        }
        PickerAction::Stay
    }

    /// Asks the reason for `pending` (a finished visit's evidence changes as an amendment).
    pub fn ask_reason(&mut self, pending: Pending) {
        self.reason = Some((pending, LineInput::default()));
    }

    /// After a change: the highlight kept on a row that is there.
    pub fn settle(&mut self, attached: &[Attachment]) {
        let count = self.rows(attached).len();
        self.highlight = self.highlight.min(count.saturating_sub(1));
    }
}

/// Indexes of the files whose name holds `typed` (case-insensitive), in their order.
pub fn filter(files: &[InboxFile], typed: &str) -> Vec<usize> {
    let wanted = typed.trim().to_lowercase();
    files
        .iter()
        .enumerate()
        .filter(|(_, f)| wanted.is_empty() || f.name.to_lowercase().contains(&wanted))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str) -> InboxFile {
        InboxFile {
            path: PathBuf::from("/inbox").join(name),
            name: name.into(),
            size: 10,
            modified: None,
        }
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(picker: &mut Picker, text: &str) {
        for c in text.chars() {
            picker.handle(key(KeyCode::Char(c)), &[]);
        }
    }

    #[test]
    fn filters_by_any_part_of_the_name_whatever_the_case() {
        let files = vec![
            file("IMG_0042.JPG"),
            file("unit-plate.png"),
            file("Site.jpg"),
        ];
        assert_eq!(filter(&files, ""), vec![0, 1, 2]);
        assert_eq!(filter(&files, "jpg"), vec![0, 2]);
        assert_eq!(filter(&files, "PLATE"), vec![1]);
        assert_eq!(filter(&files, "室外机"), Vec::<usize>::new());
    }

    #[test]
    fn enter_attaches_the_highlighted_file_or_the_typed_path() {
        let mut picker = Picker::new("/inbox".into(), vec![file("a.jpg"), file("b.jpg")]);
        picker.handle(key(KeyCode::Down), &[]);
        assert_eq!(
            picker.handle(key(KeyCode::Enter), &[]),
            PickerAction::Do(Pending::Attach("/inbox/b.jpg".into()))
        );
        typed(&mut picker, "a");
        assert_eq!(
            picker.handle(key(KeyCode::Enter), &[]),
            PickerAction::Do(Pending::Attach("/inbox/a.jpg".into()))
        );
        picker.input.set("");
        typed(&mut picker, "/tmp/x.png");
        assert!(picker.shown_files().is_empty());
        assert_eq!(
            picker.handle(key(KeyCode::Enter), &[]),
            PickerAction::Do(Pending::Attach("/tmp/x.png".into()))
        );
        assert_eq!(picker.handle(key(KeyCode::Esc), &[]), PickerAction::Close);
    }

    #[test]
    fn delete_takes_off_the_highlighted_attachment_only() {
        let attached = vec![Attachment {
            sha256: "ab".repeat(32),
            size: 3,
            media_type: "image/jpeg".into(),
            name: "old.jpg".into(),
            at: String::new(),
            seq: 4,
        }];
        let mut picker = Picker::new("/inbox".into(), vec![file("a.jpg")]);
        assert_eq!(
            picker.handle(key(KeyCode::Delete), &attached),
            PickerAction::Do(Pending::Detach {
                sha256: "ab".repeat(32),
                name: "old.jpg".into()
            })
        );
        picker.handle(key(KeyCode::Down), &attached);
        assert_eq!(
            picker.handle(key(KeyCode::Delete), &attached),
            PickerAction::Stay
        );
    }

    #[test]
    fn a_reason_is_asked_and_required() {
        let mut picker = Picker::new("/inbox".into(), Vec::new());
        picker.ask_reason(Pending::Attach("/tmp/a.jpg".into()));
        assert_eq!(picker.handle(key(KeyCode::Enter), &[]), PickerAction::Stay);
        typed(&mut picker, "customer asked");
        assert_eq!(
            picker.handle(key(KeyCode::Enter), &[]),
            PickerAction::DoWithReason(
                Pending::Attach("/tmp/a.jpg".into()),
                "customer asked".into()
            )
        );
    }

    #[test]
    fn tab_completes_a_typed_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("unit-front.jpg"), b"x").expect("write");
        std::fs::write(dir.path().join("unit-back.jpg"), b"x").expect("write");
        let mut picker = Picker::new("/inbox".into(), Vec::new());
        typed(&mut picker, &format!("{}/u", dir.path().display()));
        picker.handle(key(KeyCode::Tab), &[]);
        assert_eq!(
            picker.input.text(),
            format!("{}/unit-", dir.path().display())
        );
        assert_eq!(picker.completions, vec!["unit-back.jpg", "unit-front.jpg"]);
        typed(&mut picker, "f");
        picker.handle(key(KeyCode::Tab), &[]);
        assert_eq!(
            picker.input.text(),
            format!("{}/unit-front.jpg", dir.path().display())
        );
    }
}
