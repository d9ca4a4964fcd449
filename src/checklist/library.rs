//! Where checklists come from: `--checklists` folders, the config's folders, and the ones
//! bundled into the binary; and finding one by id or path.

use std::path::{Path, PathBuf};

use super::model::Checklist;
use super::parse::parse_str;
use super::problem::Problem;

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
}

impl Library {
    pub fn new(folders: Vec<PathBuf>) -> Self {
        Self { folders }
    }

    /// Every readable checklist: folders first, then bundled; an id seen earlier wins.
    /// Files with errors are returned separately so the home screen can say so.
    pub fn all(&self) -> (Vec<Found>, Vec<LookupError>) {
        let mut found: Vec<Found> = Vec::new();
        let mut broken = Vec::new();
        for path in self.folders.iter().flat_map(|dir| yaml_files(dir)) {
            match load_file(&path) {
                Ok(checklist) if !found.iter().any(|f| f.checklist.id == checklist.id) => found
                    .push(Found {
                        checklist,
                        origin: Origin::File(path),
                    }),
                Ok(_) => {}
                Err(err) => broken.push(err),
            }
        }
        for (name, source) in BUNDLED {
            if let Ok(checklist) = load_source(source, Path::new(name))
                && !found.iter().any(|f| f.checklist.id == checklist.id)
            {
                found.push(Found {
                    checklist,
                    origin: Origin::Bundled(name),
                });
            }
        }
        (found, broken)
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
        BUNDLED.iter().find_map(|(name, source)| {
            let checklist = load_source(source, Path::new(name)).ok()?;
            (checklist.id == id).then(|| Found {
                checklist,
                origin: Origin::Bundled(name),
            })
        })
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
