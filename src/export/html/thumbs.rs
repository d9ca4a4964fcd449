//! Evidence in the HTML pages: each photo as a small scaled copy inlined in the page (a
//! `data:` JPEG, never the original's bytes: a report of many visits stays small enough to
//! mail) that links to the file in the store. A file that is missing, altered or not a
//! picture is named instead, with why.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Cursor;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::store::evidence::EvidenceCheck;
use crate::store::seam::{VisitRef, VisitStore};
use crate::visit::{Attachment, size_text};

use super::esc;
use super::words::Words;

/// The longest side of a thumbnail, in pixels.
const THUMB_PX: u32 = 240;

/// One attachment as a page shows it.
#[derive(Clone, Debug, Default)]
pub struct Shown {
    pub name: String,
    pub size: u64,
    /// `file://` address of the stored file, when the store has it whole.
    pub href: Option<String>,
    /// `data:image/jpeg;base64,...` of the scaled copy, for a picture that decodes.
    pub thumb: Option<String>,
    /// Why the file cannot be shown (missing, altered), in English for the words table.
    pub problem: Option<EvidenceCheck>,
}

/// Every attachment of a visit's items, by sha256, ready for a page.
pub type ShownFiles = HashMap<String, Shown>;

/// A visit's photos for the report: each item with attachments (its prompt in the page's
/// language), and the files.
pub struct VisitPhotos {
    pub items: Vec<(String, Vec<Attachment>)>,
    pub files: ShownFiles,
}

/// The photos of a visit read from the store; `None` without any.
pub fn visit_photos(
    store: &dyn VisitStore,
    visit: &VisitRef,
    lang: crate::lang::Lang,
) -> Option<VisitPhotos> {
    let loaded = store.load(visit).ok()?;
    let c = &loaded.checklist;
    let items: Vec<(String, Vec<Attachment>)> = c
        .items()
        .filter_map(|(_, item)| {
            let attached = &loaded.state.answers.get(&item.id)?.evidence;
            (!attached.is_empty()).then(|| {
                (
                    c.text(&item.prompt, lang.tag()).to_owned(),
                    attached.clone(),
                )
            })
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    let files = shown_files(store, visit, items.iter().flat_map(|(_, a)| a));
    Some(VisitPhotos { items, files })
}

/// Looks up and scales every attachment in `attachments` (each once).
pub fn shown_files<'a>(
    store: &dyn VisitStore,
    visit: &VisitRef,
    attachments: impl IntoIterator<Item = &'a Attachment>,
) -> ShownFiles {
    let mut files = ShownFiles::new();
    for a in attachments {
        if files.contains_key(&a.sha256) {
            continue;
        }
        files.insert(a.sha256.clone(), shown(store, visit, a));
    }
    files
}

fn shown(store: &dyn VisitStore, visit: &VisitRef, a: &Attachment) -> Shown {
    let mut shown = Shown {
        name: a.name.clone(),
        size: a.size,
        ..Shown::default()
    };
    let check = store.check_evidence(visit, &a.sha256, a.size);
    if check != EvidenceCheck::Holds {
        shown.problem = Some(check);
        return shown;
    }
    let Ok(path) = store.evidence_file(visit, &a.sha256) else {
        return shown;
    };
    shown.href = std::fs::canonicalize(&path)
        .ok()
        .map(|p| format!("file://{}", percent_path(&p.to_string_lossy())));
    if a.is_image() {
        shown.thumb = thumbnail(&path);
    }
    shown
}

/// A path for a `file://` address: every byte outside a safe set percent-encoded.
fn percent_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A scaled JPEG copy of the picture at `path`, as a `data:` address; `None` for a file
/// that is not a picture this build decodes, or is too large to decode safely.
pub fn thumbnail(path: &std::path::Path) -> Option<String> {
    let picture = crate::present::picture::decode(path)?;
    let small = picture.thumbnail(THUMB_PX, THUMB_PX).to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut jpeg), 70)
        .encode_image(&small)
        .ok()?;
    Some(format!("data:image/jpeg;base64,{}", STANDARD.encode(&jpeg)))
}

/// The attachments of one answer: a thumbnail (linked to the file) or the file's name, its
/// size, and what is wrong with it when the store does not hold it whole.
pub fn figures(html: &mut String, attachments: &[Attachment], files: &ShownFiles, w: &Words) {
    if attachments.is_empty() {
        return;
    }
    html.push_str("<div class=\"evidence\">");
    for a in attachments {
        let Some(file) = files.get(&a.sha256) else {
            continue;
        };
        let caption = format!("{} · {}", file.name, size_text(file.size));
        html.push_str("<figure>");
        match (&file.href, &file.thumb) {
            (Some(href), Some(thumb)) => {
                let _ = write!(
                    html,
                    "<a href=\"{}\"><img src=\"{}\" alt=\"{}\"></a>",
                    esc(href),
                    thumb,
                    esc(&file.name)
                );
            }
            (Some(href), None) => {
                let _ = write!(html, "<a href=\"{}\">{}</a>", esc(href), esc(w.open_file));
            }
            _ => {}
        }
        let problem = match &file.problem {
            Some(EvidenceCheck::Missing) => Some(w.evidence_missing),
            Some(EvidenceCheck::Altered) => Some(w.evidence_altered),
            Some(EvidenceCheck::Unreadable(_)) => Some(w.evidence_unreadable),
            Some(EvidenceCheck::Holds) | None => None,
        };
        let _ = write!(html, "<figcaption>{}", esc(&caption));
        if let Some(problem) = problem {
            let _ = write!(html, " <span class=\"bad\">{}</span>", esc(problem));
        }
        html.push_str("</figcaption></figure>");
    }
    html.push_str("</div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_becomes_a_small_jpeg_and_anything_else_none() {
        let dir = tempfile::tempdir().unwrap();
        let photo = dir.path().join("p.png");
        image::RgbImage::from_pixel(1200, 800, image::Rgb([200, 30, 30]))
            .save(&photo)
            .unwrap();
        let thumb = thumbnail(&photo).unwrap();
        let jpeg = STANDARD
            .decode(thumb.strip_prefix("data:image/jpeg;base64,").unwrap())
            .unwrap();
        let small = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((small.width(), small.height()), (240, 160));
        let text = dir.path().join("t.jpg");
        std::fs::write(&text, b"\xFF\xD8\xFF not really a jpeg").unwrap();
        assert!(thumbnail(&text).is_none());
    }

    #[test]
    fn file_addresses_are_percent_encoded() {
        assert_eq!(percent_path("/a b/<x>\"é"), "/a%20b/%3Cx%3E%22%C3%A9");
    }
}
