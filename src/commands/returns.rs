//! `sitecheck returns --technician NAME --out DIR`: the review logs of one technician's
//! visits, to carry back to that technician's laptop (SPEC section 6). `DIR` is laid out
//! as a store holding only reviews (`DIR/reviews/<visit-id>.jsonl`), so `sitecheck import
//! DIR` on the laptop takes them. Nothing else goes in: no visit logs (the laptop has its
//! own), and no review of another technician's visit.

use std::io::Write;
use std::path::Path;

use crate::lang::Lang;
use crate::present::sanitize;
use crate::present::strings::strings;
use crate::store::index::open::Store;
use crate::store::layout::is_visit_id;
use crate::store::seam::VisitStore;
use crate::visit::same_technician;

/// What `returns` is asked for.
pub struct Returns<'a> {
    pub source: &'a dyn VisitStore,
    /// The store, opened.
    pub store: &'a Store,
    /// `--technician` as given on the command line: whose reviews.
    pub technician: Option<&'a str>,
    pub out_dir: &'a Path,
    pub lang: Lang,
}

impl Returns<'_> {
    /// Writes the returns; what it wrote goes to `out`. `Err` is the message (exit 2).
    pub fn write(&self, out: &mut dyn Write) -> Result<u8, String> {
        let s = strings(self.lang);
        let Some(technician) = self.technician.filter(|t| !t.trim().is_empty()) else {
            return Err(s.returns_needs_technician());
        };
        let shown_dir = sanitize(&self.out_dir.display().to_string());
        // Checked before anything is written: returns never mix with what a folder holds.
        if !is_new_or_empty(self.out_dir) {
            return Err(s.returns_out_not_empty(&shown_dir));
        }
        let visits: Vec<_> = self
            .store
            .visits
            .iter()
            .filter(|v| same_technician(&v.technician, technician))
            .collect();
        if visits.is_empty() {
            return Err(s.unknown_technician(&sanitize(technician), &self.known_technicians()));
        }
        let reviews = self.out_dir.join("reviews");
        std::fs::create_dir_all(&reviews)
            .map_err(|e| format!("{}: error: cannot create: {e}", reviews.display()))?;
        let mut written = 0;
        for visit in &visits {
            // Ids come from the logs: only a real visit id becomes a file name.
            if !is_visit_id(&visit.id) {
                continue;
            }
            let Some(log) = self.source.review_log(&visit.reference()) else {
                continue;
            };
            let bytes = log
                .bytes
                .map_err(|e| format!("{}: error: cannot read: {e}", log.shown))?;
            let target = reviews.join(format!("{}.jsonl", visit.id));
            write_durably(&target, &bytes)
                .map_err(|e| format!("{}: error: cannot write: {e}", target.display()))?;
            written += 1;
        }
        // The files' names are on the medium too, not only their bytes.
        std::fs::File::open(&reviews)
            .and_then(|folder| folder.sync_all())
            .map_err(|e| format!("{}: error: cannot write: {e}", reviews.display()))?;
        writeln!(
            out,
            "{}",
            s.returns_written(written, visits.len(), &sanitize(technician), &shown_dir)
        )
        .map_err(crate::context::output_error)?;
        Ok(crate::context::read_in_full(self.store, 0))
    }

    /// The technicians the store has visits of, sorted, for the message naming an unknown one.
    fn known_technicians(&self) -> String {
        let mut known: Vec<&str> = self
            .store
            .visits
            .iter()
            .map(|v| v.technician.as_str())
            .collect();
        known.sort_unstable();
        known.dedup();
        sanitize(&known.join(", "))
    }
}

/// A folder that is not there yet, or an empty one.
fn is_new_or_empty(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound && !dir.exists(),
    }
}

/// Writes a file and flushes it to the medium (a USB stick may be pulled right after).
fn write_durably(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::File::create_new(target)?;
    file.write_all(bytes)?;
    file.sync_all()
}
