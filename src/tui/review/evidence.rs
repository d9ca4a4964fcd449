//! Evidence in the visit detail (SPEC section 10): each item's attachments with whether the
//! store's file still holds the bytes the log recorded, and `o` handing one to the system
//! viewer (`xdg-open`), detached so the screen is not disturbed.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

use ratatui::text::{Line, Span};

use crate::present::{sanitize, truncate};
use crate::store::evidence::EvidenceCheck;
use crate::store::seam::{VisitRef, VisitStore};
use crate::visit::{Attachment, size_text};

use super::strings::ReviewStrings;

/// What the detail knows of a visit's evidence files, checked once when it opens.
#[derive(Clone, Debug, Default)]
pub struct EvidenceChecks {
    by_sha: HashMap<String, EvidenceCheck>,
    /// How many times `o` was pressed on each item: the next one opens the next file.
    opened: HashMap<String, usize>,
}

impl EvidenceChecks {
    /// Checks every file attached to the visit's items.
    pub fn check<'a>(
        source: &dyn VisitStore,
        visit: &VisitRef,
        attachments: impl Iterator<Item = &'a Attachment>,
    ) -> EvidenceChecks {
        let mut by_sha = HashMap::new();
        for a in attachments {
            by_sha
                .entry(a.sha256.clone())
                .or_insert_with(|| source.check_evidence(visit, &a.sha256, a.size));
        }
        EvidenceChecks {
            by_sha,
            opened: HashMap::new(),
        }
    }

    pub fn get(&self, sha256: &str) -> Option<&EvidenceCheck> {
        self.by_sha.get(sha256)
    }

    /// The attachment `o` opens next on `item`, and counts it.
    pub fn next_to_open<'a>(
        &mut self,
        item: &str,
        attached: &'a [Attachment],
    ) -> Option<&'a Attachment> {
        if attached.is_empty() {
            return None;
        }
        let n = self.opened.entry(item.to_owned()).or_insert(0);
        let chosen = attached.get(*n % attached.len());
        *n += 1;
        chosen
    }
}

/// The lines of one item's attachments: name, size, and whether the file holds.
pub fn attachment_lines(
    s: &ReviewStrings,
    theme: crate::tui::theme::Theme,
    checks: &EvidenceChecks,
    attached: &[Attachment],
    indent: &str,
    width: usize,
) -> Vec<Line<'static>> {
    attached
        .iter()
        .map(|a| {
            let (state, style) = match checks.get(&a.sha256) {
                Some(EvidenceCheck::Holds) => (s.evidence_holds, theme.pass()),
                Some(EvidenceCheck::Missing) | None => (s.evidence_missing, theme.fail()),
                Some(EvidenceCheck::Altered) => (s.evidence_altered, theme.fail()),
                Some(EvidenceCheck::Unreadable(_)) => (s.evidence_unreadable, theme.fail()),
            };
            let size = format!("  {}  ", size_text(a.size));
            let room = width.saturating_sub(indent.len() + 2 + size.len() + 16);
            Line::from(vec![
                Span::raw(format!(
                    "{indent}▪ {}",
                    truncate(&sanitize(&a.name), room.max(4))
                )),
                Span::styled(size, theme.dim()),
                Span::styled(state, style),
            ])
        })
        .collect()
}

/// How long `o` waits to hear whether xdg-open failed.
const VIEWER_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);

/// Hands `path` to the system viewer, detached (no terminal, not waited for by the screen).
/// The message to show: opened, or why not.
pub fn open_with_viewer(s: &ReviewStrings, name: &str, path: &Path) -> (bool, String) {
    let name = sanitize(name);
    let spawned = Command::new("xdg-open")
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            // xdg-open hands the file on and returns at once; one that fails (no viewer for
            // the type, no display) fails as fast. Still running after a moment: a viewer.
            let deadline = std::time::Instant::now() + VIEWER_WAIT;
            loop {
                match child.try_wait() {
                    Ok(Some(status)) if status.success() => break,
                    Ok(Some(status)) => {
                        let why = format!("xdg-open {status}");
                        return (
                            false,
                            s.evidence_cannot_open
                                .replace("{name}", &name)
                                .replace("{why}", &why),
                        );
                    }
                    Ok(None) if std::time::Instant::now() < deadline => {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    // Reaped off the screen's thread so no zombie stays behind.
                    _ => {
                        std::thread::spawn(move || child.wait());
                        break;
                    }
                }
            }
            (true, s.evidence_opened.replace("{name}", &name))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => (
            false,
            s.evidence_no_viewer
                .replace("{name}", &name)
                .replace("{path}", &sanitize(&path.display().to_string())),
        ),
        Err(err) => (
            false,
            s.evidence_cannot_open
                .replace("{name}", &name)
                .replace("{why}", &sanitize(&err.to_string())),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attachment(n: u8) -> Attachment {
        Attachment {
            sha256: format!("{n:02x}").repeat(32),
            size: 1,
            media_type: "image/jpeg".into(),
            name: format!("{n}.jpg"),
            at: String::new(),
            seq: u64::from(n),
        }
    }

    #[test]
    fn o_goes_through_the_item_s_files_in_turn() {
        let mut checks = EvidenceChecks::default();
        let attached = vec![attachment(1), attachment(2)];
        let names: Vec<String> = (0..3)
            .filter_map(|_| {
                checks
                    .next_to_open("unit", &attached)
                    .map(|a| a.name.clone())
            })
            .collect();
        assert_eq!(names, vec!["1.jpg", "2.jpg", "1.jpg"]);
        assert!(checks.next_to_open("other", &[]).is_none());
    }
}
