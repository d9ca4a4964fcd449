//! What a command needs, gathered once from the options, the environment and the config
//! file: the data folders, the checklists, the technician, the language, the theme. Also
//! the few rules every command shares for its output.

use std::path::PathBuf;

use crate::checklist::Library;
use crate::config::{self, Config};
use crate::keys::KeyDir;
use crate::lang::Lang;
use crate::present::sanitize;
use crate::present::strings::{Strings, strings};
use crate::store::file_store::FileStore;
use crate::store::index::open::Store;
use crate::store::seam::{FindError, VisitRef, VisitStore};

/// The global options as given on the command line (or by the environment).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub config: Option<PathBuf>,
    pub data_dir: Vec<PathBuf>,
    pub checklists: Vec<PathBuf>,
    pub technician: Option<String>,
    pub lang: Option<String>,
    pub no_color: bool,
    /// `--store` (or `SITECHECK_STORE`): the fleet store's URL.
    pub store: Option<String>,
}

/// Everything a command needs from the options, the environment and the config file.
pub struct Context {
    pub config: Config,
    pub config_path: Option<PathBuf>,
    pub data_dirs: Vec<PathBuf>,
    pub library: Library,
    pub technician: Option<String>,
    /// `--technician` as given on the command line itself: a filter for read-only commands
    /// (the config's or the environment's name must not silently narrow a supervisor's list).
    pub technician_filter: Option<String>,
    pub lang: Lang,
    pub color: bool,
    /// The screens' theme: colour or not, and the config's `theme:` (high contrast).
    pub theme: crate::tui::theme::Theme,
    /// Where the data folders were named (`--data-dir` or `SITECHECK_DATA_DIR`); `None`
    /// for the default one, which a first run has not made yet.
    pub data_dir_source: Option<&'static str>,
    /// The fleet store's URL (`--store`, `SITECHECK_STORE` or the config's `store:`):
    /// when given, the store read and imported into instead of the data folders.
    pub fleet: Option<String>,
}

impl Context {
    pub fn new(
        cli: &Options,
        technician_filter: Option<String>,
        data_dir_source: Option<&'static str>,
    ) -> Result<Context, String> {
        let config_path = cli.config.clone().or_else(config::default_config_path);
        let config = match &config_path {
            Some(path) => Config::load(path).map_err(|e| e.to_string())?,
            None => Config::default(),
        };
        let data_dirs = if cli.data_dir.is_empty() {
            vec![config::default_data_dir()]
        } else {
            cli.data_dir.clone()
        };
        let mut folders = cli.checklists.clone();
        folders.extend(config.checklists.iter().cloned());
        let lang = cli
            .lang
            .as_deref()
            .map(Lang::from_tag)
            .or_else(|| config.language.as_deref().map(Lang::from_tag))
            .or_else(Lang::from_env)
            .unwrap_or_default();
        let technician = cli
            .technician
            .clone()
            .or_else(|| config.technician.clone())
            .filter(|t| !t.trim().is_empty());
        let mut library = Library::new(folders);
        if let Some(cache) = config::default_checklist_cache() {
            library = library.with_cache(cache);
        }
        let color = !cli.no_color && !no_color_env(std::env::var_os("NO_COLOR").as_deref());
        let theme =
            crate::tui::theme::Theme::named(color, config.theme.as_deref()).map_err(|e| {
                let file = config_path
                    .as_deref()
                    .map_or_else(String::new, |p| format!("{}: ", p.display()));
                format!("{file}error: {e}")
            })?;
        let fleet = cli.store.clone().or_else(|| config.store.clone());
        if let Some(url) = &fleet
            && !crate::store::postgres::is_database_url(url)
        {
            return Err(format!(
                "error: --store {:?} is not a database URL (postgres://user@host/database)",
                sanitize(&crate::store::postgres::connect::redact(url))
            ));
        }
        Ok(Context {
            fleet,
            theme,
            config,
            config_path,
            data_dirs,
            library,
            technician,
            technician_filter,
            lang,
            color,
            data_dir_source: (!cli.data_dir.is_empty())
                .then_some(data_dir_source)
                .flatten(),
        })
    }

    /// How stores are opened: the config's thresholds, and the summary caches unless
    /// `SITECHECK_NO_CACHE` is set.
    pub fn open_options(&self) -> crate::store::index::open::OpenOptions {
        crate::store::index::open::OpenOptions {
            thresholds: self.config.rushed.unwrap_or_default(),
            use_cache: std::env::var_os("SITECHECK_NO_CACHE").is_none(),
        }
    }

    /// The store every reading command, import and the review screen use: the fleet store
    /// when one is named, else every `--data-dir`.
    pub fn store(&self) -> Result<Box<dyn VisitStore>, String> {
        match &self.fleet {
            Some(url) => crate::store::postgres::PgStore::open(url, self.open_options())
                .map(|store| Box::new(store) as Box<dyn VisitStore>)
                .map_err(|e| sanitize(&e.to_string())),
            None => Ok(Box::new(FileStore::new(
                self.data_dirs.clone(),
                self.open_options(),
            ))),
        }
    }

    /// Opens the store for review, through its summary caches.
    pub fn open_store(&self, store: &dyn VisitStore) -> Result<Store, String> {
        let mut opened = warn(store.open());
        opened.trust = self.trust()?;
        Ok(opened)
    }

    /// Opens the store as it was last summarised, without looking at the logs (a store
    /// never summarised is read whole): for a screen to show at once.
    pub fn open_snapshot(&self, store: &dyn VisitStore) -> Result<Store, String> {
        // A store never opened by this version is read whole first: say why it takes a while.
        if store.first_open() && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            eprintln!("{}", self.s().first_open);
        }
        let mut opened = warn(store.open_snapshot());
        opened.trust = self.trust()?;
        Ok(opened)
    }

    /// The store written to: the first `--data-dir`.
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dirs[0]
    }

    /// A visit by its id or a unique beginning of it.
    pub fn find_visit(&self, store: &dyn VisitStore, wanted: &str) -> Result<VisitRef, String> {
        store.find(wanted).map_err(|e| self.not_found(wanted, e))
    }

    /// A visit of the technician's own data folder (the first), for resume: its log.
    pub fn find_own_visit(&self, wanted: &str) -> Result<PathBuf, String> {
        crate::store::layout::find_visit(self.data_dir(), wanted)
            .map(|(_, log)| log)
            .map_err(|e| self.not_found(wanted, e.into()))
    }

    /// Why `wanted` names no one visit, in the UI language.
    fn not_found(&self, wanted: &str, e: FindError) -> String {
        let wanted = sanitize(wanted);
        match e {
            FindError::Ambiguous(ids) => self.s().several_visits(&wanted, &ids.join(", ")),
            FindError::NotFound => self.s().no_such_visit(&wanted),
        }
    }

    /// Where this machine keeps its seal keys: beside its config file.
    pub fn key_dir(&self) -> Option<KeyDir> {
        self.config_path.as_deref().map(KeyDir::beside)
    }

    /// The keys this machine trusts (none without a config folder); a damaged list is an
    /// error, never an empty one.
    /// This laptop's own key, once made, counts as trusted for its technician.
    pub fn trust(&self) -> Result<crate::keys::Trust, String> {
        let Some(keys) = self.key_dir() else {
            return Ok(crate::keys::Trust::default());
        };
        let mut trusted = keys.trusted().map_err(|e| sanitize(&e.to_string()))?;
        if let (Ok(own), Some(technician)) = (keys.own_key_if_made(), &self.technician)
            && !trusted.iter().any(|k| k.key == own.key_id())
        {
            trusted.push(crate::keys::TrustedKey {
                key: own.key_id().to_owned(),
                technician: technician.clone(),
                host: crate::store::session::host_name(),
                trusted_at: String::new(),
            });
        }
        Ok(crate::keys::Trust::new(trusted))
    }

    /// This laptop's seal key, made on first use. A key that cannot be had is said on
    /// standard error (before any screen) and the visits go on unsealed: a technician at a
    /// customer's door is never stopped by it.
    pub fn sealer(&self) -> Option<std::sync::Arc<crate::log::seal::Sealer>> {
        match self.key_dir()?.own_key() {
            Ok(sealer) => Some(std::sync::Arc::new(sealer)),
            Err(e) => {
                eprintln!(
                    "warning: {} — visits are not sealed",
                    sanitize(&e.to_string())
                );
                None
            }
        }
    }

    /// The commands' words in the UI language.
    pub fn s(&self) -> &'static Strings {
        strings(self.lang)
    }

    /// For a command that reads the store: every data folder named must be there and be
    /// a readable folder. A mistyped `--data-dir` must not read as an empty store.
    pub fn check_data_dirs(&self) -> Result<(), String> {
        let Some(source) = self.data_dir_source.filter(|_| self.fleet.is_none()) else {
            return Ok(());
        };
        let s = self.s();
        for dir in &self.data_dirs {
            let name = sanitize(&dir.display().to_string());
            match std::fs::metadata(dir) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(s.no_data_dir(&name, source));
                }
                Err(e) => return Err(s.data_dir_unreadable(&name, source, &e.to_string())),
                Ok(meta) if !meta.is_dir() => {
                    return Err(s.data_dir_not_a_folder(&name, source));
                }
                Ok(_) => {
                    std::fs::read_dir(dir)
                        .map_err(|e| s.data_dir_unreadable(&name, source, &e.to_string()))?;
                }
            }
        }
        Ok(())
    }
}

/// Whether `NO_COLOR` asks for no colour: as no-color.org defines it, any non-empty value
/// does (`1`, `0`, `yes` alike), and an empty one is ignored. Read here rather than by clap,
/// which would take the value as a boolean and refuse every command over `NO_COLOR=1`.
pub fn no_color_env(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

/// Says what the supervisor should know about an opened store before a screen takes over:
/// warnings, and folders that could not be read (as errors: see `read_in_full`).
fn warn(store: Store) -> Store {
    for warning in &store.report.warnings {
        eprintln!("warning: {}", sanitize(warning));
    }
    for folder in &store.report.unreadable {
        eprintln!("error: {}", sanitize(folder));
    }
    store
}

/// A command's exit code over a store: 2 when part of it could not be read (said on
/// standard error when it was opened), whatever the command found.
pub fn read_in_full(store: &Store, code: u8) -> u8 {
    if store.report.unreadable.is_empty() {
        code
    } else {
        2
    }
}

/// What `output_error` says when the output's reader has gone: not reported.
pub const READER_GONE: &str = "";

/// The message for a failed write to standard output.
pub fn output_error(e: std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        READER_GONE.to_owned()
    } else {
        format!("error: cannot write output: {e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_is_any_non_empty_value() {
        use std::ffi::OsStr;
        assert!(!no_color_env(None));
        assert!(!no_color_env(Some(OsStr::new(""))));
        for value in ["1", "0", "yes", "false"] {
            assert!(no_color_env(Some(OsStr::new(value))), "{value}");
        }
    }
}
