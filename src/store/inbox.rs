//! The evidence inbox (SPEC section 10): the files a technician may attach — the configured
//! folder (the Pictures folder by default) and a camera card's `DCIM` folder on a mounted
//! card — newest first; and completing a typed path. Only listing: files are taken into the
//! store by `evidence::copy_in`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// How deep folders are looked into (`DCIM/100CANON/IMG_0001.JPG` is two below `DCIM`).
const DEPTH: usize = 2;

/// At most this many files are listed: the newest are the ones wanted.
pub const LIMIT: usize = 500;

/// A file the picker offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxFile {
    pub path: PathBuf,
    /// The file's name (lossy where it is not UTF-8), for filtering and showing.
    pub name: String,
    pub size: u64,
    pub modified: Option<SystemTime>,
}

/// The folders of the inbox: `inbox`, then every camera card's `DCIM` found mounted.
pub fn folders(inbox: &Path) -> Vec<PathBuf> {
    let mut all = vec![inbox.to_path_buf()];
    let user = std::env::var("USER").unwrap_or_default();
    let mut mounts: Vec<PathBuf> = Vec::new();
    if !user.is_empty() {
        mounts.push(Path::new("/media").join(&user));
        mounts.push(Path::new("/run/media").join(&user));
    }
    mounts.push(PathBuf::from("/mnt"));
    for mount in mounts {
        for card in subfolders(&mount) {
            let dcim = card.join("DCIM");
            if dcim.is_dir() && !all.contains(&dcim) {
                all.push(dcim);
            }
        }
    }
    all
}

fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

/// The regular files of `folders` (and of their folders, two levels down), newest first,
/// hidden files left out; at most `LIMIT`. A folder that cannot be read lists nothing.
pub fn list(folders: &[PathBuf]) -> Vec<InboxFile> {
    let mut files = Vec::new();
    for folder in folders {
        walk(folder, DEPTH, &mut files);
    }
    sort_newest_first(&mut files);
    files.truncate(LIMIT);
    files
}

fn walk(dir: &Path, depth: usize, files: &mut Vec<InboxFile>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if depth > 0 {
                walk(&entry.path(), depth - 1, files);
            }
            continue;
        }
        // Links are followed: a phone sync may link its photos in.
        let Ok(meta) = fs::metadata(entry.path()) else {
            continue;
        };
        if meta.is_file() {
            files.push(InboxFile {
                path: entry.path(),
                name,
                size: meta.len(),
                modified: meta.modified().ok(),
            });
        }
    }
}

/// Newest first; files of the same time by name.
pub fn sort_newest_first(files: &mut [InboxFile]) {
    files.sort_by(|a, b| b.modified.cmp(&a.modified).then(a.name.cmp(&b.name)));
}

/// Whether what is typed is a path rather than a filter: it begins with `/`, `~` or `.`.
pub fn is_path(typed: &str) -> bool {
    typed.starts_with(['/', '~', '.'])
}

pub use crate::config::expand_home;

/// What Tab does to a typed path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// The typed text made as long as every candidate allows (a lone folder gets its `/`).
    pub text: String,
    /// The names that still fit, folders with a trailing `/`, sorted.
    pub candidates: Vec<String>,
}

/// Completes `typed` (a path as typed, `~` allowed) against the folder it names.
pub fn complete(typed: &str) -> Completion {
    let (dir_part, prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let dir = if dir_part.is_empty() {
        PathBuf::from(".")
    } else {
        expand_home(dir_part)
    };
    let entries: Vec<(String, bool)> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let is_dir = fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
                    (e.file_name().to_string_lossy().into_owned(), is_dir)
                })
                .collect()
        })
        .unwrap_or_default();
    // `~` alone is the home folder: complete it to `~/`.
    if typed == "~" {
        return Completion {
            text: "~/".into(),
            candidates: Vec::new(),
        };
    }
    complete_in(dir_part, prefix, &entries)
}

/// The pure part of `complete`: `entries` are the folder's (name, is a folder).
pub fn complete_in(dir_part: &str, prefix: &str, entries: &[(String, bool)]) -> Completion {
    // Hidden names only when a dot is typed.
    let mut fits: Vec<String> = entries
        .iter()
        .filter(|(name, _)| {
            name.starts_with(prefix) && (prefix.starts_with('.') || !name.starts_with('.'))
        })
        .map(|(name, dir)| {
            if *dir {
                format!("{name}/")
            } else {
                name.clone()
            }
        })
        .collect();
    fits.sort();
    let common = match fits.split_first() {
        None => prefix.to_owned(),
        Some((first, rest)) => rest.iter().fold(first.clone(), |common, name| {
            common
                .chars()
                .zip(name.chars())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect()
        }),
    };
    let common = if common.chars().count() < prefix.chars().count() {
        prefix.to_owned()
    } else {
        common
    };
    Completion {
        text: format!("{dir_part}{common}"),
        candidates: if fits.len() == 1 { Vec::new() } else { fits },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(names: &[(&str, bool)]) -> Vec<(String, bool)> {
        names.iter().map(|(n, d)| ((*n).to_owned(), *d)).collect()
    }

    #[test]
    fn completes_to_the_common_part_and_lists_what_fits() {
        let folder = entries(&[
            ("IMG_0001.JPG", false),
            ("IMG_0002.JPG", false),
            ("notes.txt", false),
            ("site", true),
            (".hidden", false),
        ]);
        let c = complete_in("/photos/", "IMG", &folder);
        assert_eq!(c.text, "/photos/IMG_000");
        assert_eq!(c.candidates, vec!["IMG_0001.JPG", "IMG_0002.JPG"]);
        // One fit: completed whole, a folder with its slash, nothing left to list.
        let c = complete_in("/photos/", "s", &folder);
        assert_eq!(c.text, "/photos/site/");
        assert!(c.candidates.is_empty());
        // Nothing fits: the text stays as typed.
        let c = complete_in("/photos/", "zz", &folder);
        assert_eq!(c.text, "/photos/zz");
        assert!(c.candidates.is_empty());
        // Hidden files only when a dot is typed.
        let c = complete_in("/photos/", "", &folder);
        assert!(!c.candidates.iter().any(|n| n.starts_with('.')));
        assert_eq!(complete_in("/p/", ".h", &folder).text, "/p/.hidden");
    }

    #[test]
    fn paths_are_told_from_filters() {
        assert!(is_path("/tmp/a.jpg"));
        assert!(is_path("~/Pictures"));
        assert!(is_path("./a.jpg"));
        assert!(!is_path("IMG"));
        assert!(!is_path(""));
    }

    #[test]
    fn lists_newest_first_and_looks_into_camera_folders() {
        let dir = tempfile::tempdir().expect("temp dir");
        let old = dir.path().join("old.jpg");
        fs::write(&old, b"old").expect("write");
        let camera = dir.path().join("100CANON");
        fs::create_dir(&camera).expect("mkdir");
        fs::write(camera.join("new.jpg"), b"new!").expect("write");
        fs::write(dir.path().join(".hidden.jpg"), b"x").expect("write");
        let past = SystemTime::now() - std::time::Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(&old)
            .and_then(|f| f.set_modified(past))
            .expect("set time");
        let files = list(&[dir.path().to_path_buf()]);
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["new.jpg", "old.jpg"]);
        assert_eq!(files[0].size, 4);
        assert!(list(&[dir.path().join("nowhere")]).is_empty());
    }
}
