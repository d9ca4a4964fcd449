//! Evidence on a visit's items (SPEC section 10): the files attached to each item's answer,
//! and the changes made to them after the visit was closed.

use crate::checklist::{EvidencePolicy, Item};

use super::answer::Outcome;

/// A file attached to an item, as the log recorded it. The file itself is in the store,
/// named by `sha256` only; `name` is the name it had where it came from, for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    pub name: String,
    /// When it was attached (RFC 3339), and the line that attached it.
    pub at: String,
    pub seq: u64,
}

impl Attachment {
    /// For programs (`show --format json`, the JSON Lines export): what the `attached`
    /// line recorded, and when.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
            "name": self.name,
            "attached_at": self.at,
        })
    }

    /// Whether people would call it a photo (a thumbnail can be drawn).
    pub fn is_image(&self) -> bool {
        self.media_type.starts_with("image/")
    }
}

/// What an amendment did to an item's evidence (an `attached` or `detached` after close).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvidenceChange {
    Attached(Attachment),
    Detached { sha256: String, name: String },
}

/// Whether an item's answer asks for evidence it does not have: `always` for any answer but
/// N/A, `on_fail` for a failed one.
pub fn evidence_missing(item: &Item, outcome: Option<Outcome>, attached: usize) -> bool {
    let needed = match item.evidence {
        EvidencePolicy::Always => {
            matches!(outcome, Some(Outcome::Pass | Outcome::Fail | Outcome::Info))
        }
        EvidencePolicy::OnFail => outcome == Some(Outcome::Fail),
        EvidencePolicy::Never | EvidencePolicy::Optional => false,
    };
    needed && attached == 0
}

/// A size as people read it: `820 B`, `14.2 KB`, `4.8 MB`.
pub fn size_text(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / KB / KB)
    } else {
        format!("{:.1} GB", b / KB / KB / KB)
    }
}
