//! Reading a photo to show it (a thumbnail on the screen, a scaled copy in a report): once,
//! within limits a decompression bomb cannot pass, and never taking the caller down with a
//! decoder's panic.

use std::path::Path;

/// The widest and tallest picture decoded, and the most memory its decoding may take.
const MAX_SIDE: u32 = 20_000;
const MAX_ALLOC: u64 = 320 * 1024 * 1024;

/// The picture in the file at `path`; `None` for anything that is not a picture this build
/// decodes, or that is over the limits.
pub fn decode(path: &Path) -> Option<image::DynamicImage> {
    let mut reader = image::ImageReader::open(path)
        .ok()?
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.decode().ok()))
        .ok()
        .flatten()
}
