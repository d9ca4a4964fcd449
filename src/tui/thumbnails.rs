//! Thumbnails of image attachments (SPEC section 10), drawn with sixel, kitty or half
//! blocks (`ratatui-image`). Which the terminal can draw is asked once at start, with a
//! short timeout (`image_query`); `SITECHECK_IMAGES=off|halfblocks|auto` overrides it. Files are decoded
//! and scaled on a worker thread, never while drawing, and kept per sha256; a file that
//! does not decode (or is not there) is "no preview", never a panic.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use ratatui::layout::Size;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use ratatui_image::protocol::Protocol;

/// A thumbnail's size in cells.
pub const WIDTH: u16 = 20;
pub const HEIGHT: u16 = 8;

/// Overrides how thumbnails are drawn: `off`, `halfblocks`, or `auto` (ask the terminal).
pub const IMAGES_ENV: &str = "SITECHECK_IMAGES";

/// A photo's largest side taken for a thumbnail; bigger files are refused before decoding
/// (a thumbnail never needs more, and a hostile file must not take the laptop's memory).
const MAX_BYTES: u64 = 64 << 20;

/// One thumbnail's state.
pub enum Thumb {
    Loading,
    Ready(Box<Protocol>),
    /// The file is missing, or not an image this build decodes.
    NoPreview,
}

pub struct Thumbnails {
    cache: HashMap<String, Thumb>,
    jobs: Sender<(String, PathBuf)>,
    done: Receiver<(String, Option<Protocol>)>,
}

impl Thumbnails {
    /// Thumbnails as the terminal (or `SITECHECK_IMAGES`) allows; `None` when they are off
    /// or when the screen has no colour to draw half blocks with. Call with the terminal
    /// already in raw mode and before reading events: the answer to the query is read from
    /// the terminal.
    pub fn start(color: bool) -> Option<Thumbnails> {
        let mode = std::env::var(IMAGES_ENV).unwrap_or_default();
        let picker = match mode.as_str() {
            "off" | "none" | "0" => return None,
            "halfblocks" => Picker::halfblocks(),
            _ => query(),
        };
        let halfblocks = picker.protocol_type() == ratatui_image::picker::ProtocolType::Halfblocks;
        if halfblocks && !color {
            return None;
        }
        Some(Thumbnails::with_picker(picker))
    }

    pub fn with_picker(picker: Picker) -> Thumbnails {
        let (jobs, inbox) = channel::<(String, PathBuf)>();
        let (outbox, done) = channel();
        std::thread::spawn(move || {
            for (sha, path) in inbox {
                let made = make(&picker, &path);
                if outbox.send((sha, made)).is_err() {
                    break;
                }
            }
        });
        Thumbnails {
            cache: HashMap::new(),
            jobs,
            done,
        }
    }

    /// Asks for the thumbnail of the evidence file `sha256` of the data folder `data`.
    pub fn want(&mut self, attachment: &crate::visit::Attachment, data: &Path) {
        if self.cache.contains_key(&attachment.sha256) {
            return;
        }
        let Some(path) = crate::store::evidence::evidence_path(data, &attachment.sha256) else {
            self.cache
                .insert(attachment.sha256.clone(), Thumb::NoPreview);
            return;
        };
        let state = if self.jobs.send((attachment.sha256.clone(), path)).is_ok() {
            Thumb::Loading
        } else {
            Thumb::NoPreview
        };
        self.cache.insert(attachment.sha256.clone(), state);
    }

    /// Takes in the thumbnails made since; true when there were any.
    pub fn take_ready(&mut self) -> bool {
        let mut any = false;
        while let Ok((sha, made)) = self.done.try_recv() {
            let thumb = match made {
                Some(protocol) => Thumb::Ready(Box::new(protocol)),
                None => Thumb::NoPreview,
            };
            self.cache.insert(sha, thumb);
            any = true;
        }
        any
    }

    /// Whether a thumbnail is being made (the loop then looks again soon).
    pub fn loading(&self) -> bool {
        self.cache.values().any(|t| matches!(t, Thumb::Loading))
    }

    pub fn get(&self, sha256: &str) -> Option<&Thumb> {
        self.cache.get(sha256)
    }
}

/// What the terminal draws, asked with a short timeout (`image_query`); half blocks when it
/// draws no images or does not say its cell size.
fn query() -> Picker {
    use super::image_query::{Graphics, ask};
    use ratatui_image::picker::ProtocolType;
    let (graphics, cell) = ask(Duration::from_millis(300));
    let protocol = match graphics {
        Graphics::Kitty => ProtocolType::Kitty,
        Graphics::Sixel => ProtocolType::Sixel,
        Graphics::None => return Picker::halfblocks(),
    };
    let Some((width, height)) = cell else {
        return Picker::halfblocks();
    };
    // The query is ours (`image_query`): the crate's own reads stdin from a thread that
    // may outlive its timeout and take the first keys typed.
    #[allow(deprecated)]
    let mut picker = Picker::from_fontsize(ratatui_image::FontSize::new(width, height));
    picker.set_protocol_type(protocol);
    picker
}

/// Decodes and scales one file; `None` for anything that is not a picture it can read.
fn make(picker: &Picker, path: &Path) -> Option<Protocol> {
    let size = std::fs::metadata(path).ok()?.len();
    if size > MAX_BYTES {
        return None;
    }
    let image = crate::present::picture::decode(path)?;
    // A scaling bug must not take the screen with it either.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        picker
            .new_protocol(image, Size::new(WIDTH, HEIGHT), Resize::Fit(None))
            .ok()
    }))
    .ok()
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attachment(sha256: &str) -> crate::visit::Attachment {
        crate::visit::Attachment {
            sha256: sha256.into(),
            size: 1,
            media_type: "image/png".into(),
            name: "x.png".into(),
            at: String::new(),
            seq: 1,
        }
    }

    fn wait(thumbs: &mut Thumbnails) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while thumbs.loading() && std::time::Instant::now() < deadline {
            thumbs.take_ready();
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn a_photo_becomes_a_thumbnail_and_a_broken_one_no_preview() {
        let data = tempfile::tempdir().expect("temp dir");
        let mut png = Vec::new();
        image::RgbImage::from_pixel(8, 8, image::Rgb([200, 30, 30]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encode");
        let source = data.path().join("red.png");
        std::fs::write(&source, &png).expect("write");
        let good = crate::store::evidence::copy_in(data.path(), &source, 1 << 20).expect("copy");
        std::fs::write(&source, b"\x89PNG\r\n\x1a\nnot really").expect("write");
        let bad = crate::store::evidence::copy_in(data.path(), &source, 1 << 20).expect("copy");
        let mut thumbs = Thumbnails::with_picker(Picker::halfblocks());
        thumbs.want(&attachment(&good.sha256), data.path());
        thumbs.want(&attachment(&bad.sha256), data.path());
        thumbs.want(&attachment("../../etc/passwd"), data.path());
        wait(&mut thumbs);
        assert!(matches!(thumbs.get(&good.sha256), Some(Thumb::Ready(_))));
        assert!(matches!(thumbs.get(&bad.sha256), Some(Thumb::NoPreview)));
        assert!(matches!(
            thumbs.get("../../etc/passwd"),
            Some(Thumb::NoPreview)
        ));
    }
}
