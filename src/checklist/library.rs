//! Where checklists come from: `--checklists` folders, the config's folders, and the ones
//! bundled into the binary; and finding one by id or path.
//!
//! Listing them (the home screen) uses summaries kept in a small cache file, keyed by the
//! sha256 of each source: parsing the bundled checklists took most of the start-up time, and
//! a listed checklist is only parsed in full when a visit starts on it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::model::Checklist;
use super::parse::{parse_str, sha256_hex};
use super::problem::Problem;
use super::text::Text;

/// The bundled checklists (the repo's `checklists/`), compiled in so an installed binary has them.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "haier-12345.yaml",
        include_str!("../../checklists/haier-12345.yaml"),
    ),
    ("tcl-8s.yaml", include_str!("../../checklists/tcl-8s.yaml")),
    (
        "appliance-install.yaml",
        include_str!("../../checklists/appliance-install.yaml"),
    ),
];

/// Where a checklist was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    Bundled(&'static str),
}

impl Origin {
    /// How to name it in a message: the path, or `bundled:<file>`.
    pub fn display_path(&self) -> PathBuf {
        match self {
            Origin::File(path) => path.clone(),
            Origin::Bundled(name) => PathBuf::from(format!("bundled:{name}")),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Found {
    pub checklist: Checklist,
    pub origin: Origin,
}

/// A checklist as the home screen lists it, before it is parsed in full (`Library::load`).
#[derive(Clone, Debug)]
pub struct Listed {
    pub checklist: ChecklistSummary,
    pub origin: Origin,
}

/// What a list shows of a checklist that parsed without errors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChecklistSummary {
    pub id: String,
    pub version: String,
    pub title: Text,
    pub languages: Vec<String>,
    pub items: usize,
}

impl ChecklistSummary {
    pub fn of(checklist: &Checklist) -> Self {
        Self {
            id: checklist.id.clone(),
            version: checklist.version.clone(),
            title: checklist.title.clone(),
            languages: checklist.languages.clone(),
            items: checklist.item_count(),
        }
    }

    pub fn item_count(&self) -> usize {
        self.items
    }

    /// A text in the UI language, with the checklist's fallbacks (as `Checklist::text`).
    pub fn text<'a>(&'a self, text: &'a Text, ui_lang: &str) -> &'a str {
        text.get(ui_lang, self.languages.first().map(String::as_str))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error("{0}: error: cannot read the checklist: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("{}", render(.0, .1))]
    Invalid(PathBuf, Vec<Problem>),
    #[error(
        "error: no checklist with id \"{0}\" — `sitecheck` with no command lists the checklists it can find"
    )]
    NotFound(String),
}

fn render(path: &Path, problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.display(path).to_string())
        .collect();
    format!(
        "{}\n(run `sitecheck lint {}` for every problem of the file)",
        lines.join("\n"),
        path.display()
    )
}

/// Reads one checklist file, refusing it when it has errors.
pub fn load_file(path: &Path) -> Result<Checklist, LookupError> {
    let text = read_text(path)?;
    load_source(&text, path)
}

fn load_source(text: &str, path: &Path) -> Result<Checklist, LookupError> {
    let parsed = parse_str(text);
    parsed
        .checklist
        .ok_or_else(|| LookupError::Invalid(path.to_path_buf(), parsed.problems))
}

/// Reads a file as UTF-8 text, refusing files over the format's size limit before reading them.
pub fn read_text(path: &Path) -> Result<String, LookupError> {
    let read_err = |e| LookupError::Read(path.to_path_buf(), e);
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > super::yaml::MAX_FILE_BYTES as u64 {
        return Err(LookupError::Invalid(
            path.to_path_buf(),
            vec![Problem::error(
                super::yaml::Pos::new(1, 1),
                super::yaml::too_big_message(size),
            )],
        ));
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    String::from_utf8(bytes).map_err(|e| {
        read_err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text ({e})"),
        ))
    })
}

/// The folders searched, in order, and the bundled set after them.
#[derive(Clone, Debug, Default)]
pub struct Library {
    pub folders: Vec<PathBuf>,
    /// The file that keeps checklist summaries between runs; none: parse every time.
    pub cache: Option<PathBuf>,
}

impl Library {
    pub fn new(folders: Vec<PathBuf>) -> Self {
        Self {
            folders,
            cache: None,
        }
    }

    /// Keeps summaries in `cache` (see the module header).
    pub fn with_cache(mut self, cache: PathBuf) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Every readable checklist: folders first, then bundled; an id seen earlier wins.
    /// Files with errors are returned separately so the home screen can say so.
    pub fn all(&self) -> (Vec<Listed>, Vec<LookupError>) {
        let mut cache = SummaryCache::load(self.cache.as_deref());
        let mut listed: Vec<Listed> = Vec::new();
        let mut broken = Vec::new();
        let files = self.folders.iter().flat_map(|dir| yaml_files(dir));
        let files = files.map(|path| (read_text(&path), Origin::File(path)));
        let bundled = BUNDLED
            .iter()
            .map(|(name, source)| (Ok((*source).to_owned()), Origin::Bundled(name)));
        for (text, origin) in files.chain(bundled) {
            let summary = text.and_then(|text| cache.summary(&text, &origin.display_path()));
            match summary {
                Ok(checklist) if !listed.iter().any(|l| l.checklist.id == checklist.id) => {
                    listed.push(Listed { checklist, origin })
                }
                Ok(_) => {}
                // A broken bundled checklist is a build mistake its tests catch; not listed.
                Err(_) if matches!(origin, Origin::Bundled(_)) => {}
                Err(err) => broken.push(err),
            }
        }
        cache.save();
        (listed, broken)
    }

    /// A listed checklist, parsed in full to start a visit on it.
    pub fn load(&self, listed: &Listed) -> Result<Checklist, LookupError> {
        match &listed.origin {
            Origin::File(path) => load_file(path),
            Origin::Bundled(name) => BUNDLED.iter().find(|(file, _)| file == name).map_or_else(
                || Err(LookupError::NotFound(listed.checklist.id.clone())),
                |(file, source)| load_source(source, Path::new(file)),
            ),
        }
    }

    /// A checklist by path (anything with a `/` or a `.yaml`/`.yml` ending) or by id.
    pub fn find(&self, what: &str) -> Result<Found, LookupError> {
        let path = Path::new(what);
        let looks_like_path = what.contains(std::path::MAIN_SEPARATOR) || has_yaml_extension(path);
        if looks_like_path || path.is_file() {
            let checklist = load_file(path)?;
            return Ok(Found {
                checklist,
                origin: Origin::File(path.to_path_buf()),
            });
        }
        for path in self.folders.iter().flat_map(|dir| yaml_files(dir)) {
            // Only parse files that could hold the id, to keep lookups quick in big folders.
            let Ok(text) = read_text(&path) else { continue };
            if !text.contains(what) {
                continue;
            }
            if let Ok(checklist) = load_source(&text, &path)
                && checklist.id == what
            {
                return Ok(Found {
                    checklist,
                    origin: Origin::File(path),
                });
            }
        }
        self.bundled(what)
            .ok_or_else(|| LookupError::NotFound(what.to_owned()))
    }

    /// A bundled checklist by id.
    pub fn bundled(&self, id: &str) -> Option<Found> {
        // Only parse sources that could hold the id, as `find` does with files.
        BUNDLED
            .iter()
            .filter(|(_, source)| source.contains(id))
            .find_map(|(name, source)| {
                let checklist = load_source(source, Path::new(name)).ok()?;
                (checklist.id == id).then(|| Found {
                    checklist,
                    origin: Origin::Bundled(name),
                })
            })
    }
}

/// Summaries of the checklists parsed before, by the sha256 of their source. Only good
/// checklists are kept (a broken file is parsed again to show its errors), only those seen
/// in the last listing, and only for this version of sitecheck, whose parser made them.
#[derive(Default, Serialize, Deserialize)]
struct SummaryCache {
    app: String,
    summaries: BTreeMap<String, ChecklistSummary>,
    #[serde(skip)]
    path: Option<PathBuf>,
    #[serde(skip)]
    seen: BTreeMap<String, ChecklistSummary>,
}

const APP: &str = concat!("sitecheck ", env!("CARGO_PKG_VERSION"));

impl SummaryCache {
    /// The cache at `path`; empty when there is none, it is unreadable or from another version.
    fn load(path: Option<&Path>) -> Self {
        let read = path
            .and_then(|path| std::fs::read(path).ok())
            .and_then(|bytes| serde_json::from_slice::<SummaryCache>(&bytes).ok())
            .filter(|cache| cache.app == APP)
            .unwrap_or_default();
        SummaryCache {
            path: path.map(Path::to_path_buf),
            ..read
        }
    }

    /// The summary of a checklist source, from the cache or by parsing it.
    fn summary(&mut self, text: &str, path: &Path) -> Result<ChecklistSummary, LookupError> {
        let key = sha256_hex(text.as_bytes());
        let summary = match self.summaries.get(&key) {
            Some(summary) => summary.clone(),
            None => ChecklistSummary::of(&load_source(text, path)?),
        };
        self.seen.insert(key, summary.clone());
        Ok(summary)
    }

    /// Writes the summaries seen, when they differ from the file's. A cache that cannot be
    /// written only costs the next start the parsing.
    fn save(self) {
        let Some(path) = self.path else { return };
        if self.seen == self.summaries {
            return;
        }
        let cache = SummaryCache {
            app: APP.to_owned(),
            summaries: self.seen,
            ..SummaryCache::default()
        };
        let Ok(bytes) = serde_json::to_vec(&cache) else {
            return;
        };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        // Written aside and renamed, so a reader never sees half a file.
        let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
        if std::fs::write(&tmp, bytes).is_err() || std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

fn has_yaml_extension(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

/// The `.yaml`/`.yml` files of a folder (not recursive), sorted; a missing folder is empty.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| has_yaml_extension(p) && p.is_file())
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(listed: &[Listed]) -> Vec<&str> {
        listed.iter().map(|l| l.checklist.id.as_str()).collect()
    }

    #[test]
    fn listing_with_a_cache_matches_parsing_and_follows_changed_files() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("checklists");
        std::fs::create_dir(&folder).unwrap();
        let mine = BUNDLED[1].1.replace("id: tcl-8s", "id: mine");
        std::fs::write(folder.join("mine.yaml"), &mine).unwrap();
        std::fs::write(folder.join("broken.yaml"), "sitecheck: 1\nid: x\n").unwrap();
        let cache = dir.path().join("cache/checklists.json");
        let plain = Library::new(vec![folder.clone()]);
        let cached = plain.clone().with_cache(cache.clone());

        let (expected, broken) = plain.all();
        assert_eq!(
            ids(&expected),
            ["mine", "haier-12345", "tcl-8s", "appliance-install"]
        );
        assert_eq!(broken.len(), 1);
        for _ in 0..2 {
            let (listed, broken) = cached.all();
            assert!(cache.is_file());
            assert_eq!(ids(&listed), ids(&expected));
            let summaries = |l: &[Listed]| -> Vec<ChecklistSummary> {
                l.iter().map(|l| l.checklist.clone()).collect()
            };
            assert_eq!(summaries(&listed), summaries(&expected));
            // A broken file is never cached: its errors show every time.
            assert_eq!(broken.len(), 1);
        }

        // The cache is keyed by content: an edited file is parsed again.
        let edited = mine.replace("version: \"2026.1\"", "version: \"2026.2\"");
        std::fs::write(folder.join("mine.yaml"), edited).unwrap();
        let (listed, _) = cached.all();
        assert_eq!(listed[0].checklist.version, "2026.2");
        let full = cached.load(&listed[0]).unwrap();
        assert_eq!(
            (full.id.as_str(), full.version.as_str()),
            ("mine", "2026.2")
        );
        assert_eq!(listed[0].checklist, ChecklistSummary::of(&full));
        let bundled = cached.load(&listed[3]).unwrap();
        assert_eq!(bundled.id, "appliance-install");

        // A damaged cache is only a slower start.
        std::fs::write(&cache, "{not json").unwrap();
        assert_eq!(ids(&cached.all().0), ids(&expected));
    }
}
