//! The user's settings: `config.yaml` in the platform config folder, and where data lives.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// `config.yaml`. Every key is optional; unknown keys are refused so a typo is noticed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technician: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checklists: Vec<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rushed: Option<RushedThresholds>,
    /// The folder the evidence picker lists (SPEC section 10); default the Pictures folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence_inbox: Option<PathBuf>,
    /// The fleet store's URL (`postgres://...`): read and import there, not in a data folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
}

/// When a visit counts as rushed (SPEC section 6).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RushedThresholds {
    /// Median seconds between answers below which a visit is rushed.
    pub median_seconds: f64,
    /// More than `burst_answers` answers within `burst_seconds` is rushed.
    pub burst_answers: usize,
    pub burst_seconds: f64,
}

impl Default for RushedThresholds {
    fn default() -> Self {
        Self {
            median_seconds: 3.0,
            burst_answers: 5,
            burst_seconds: 10.0,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: error: cannot read the config file: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{col}: error: {message}")]
    Parse {
        path: PathBuf,
        line: u64,
        col: u64,
        message: String,
    },
    #[error("{path}: error: cannot write the config file: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "sitecheck")
}

/// The default config file path (`~/.config/sitecheck/config.yaml` on Linux).
pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.yaml"))
}

/// The cache of checklist summaries (`~/.cache/sitecheck/checklists.json` on Linux).
pub fn default_checklist_cache() -> Option<PathBuf> {
    project_dirs().map(|d| d.cache_dir().join("checklists.json"))
}

/// The default data folder (`~/.local/share/sitecheck` on Linux).
pub fn default_data_dir() -> PathBuf {
    project_dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("sitecheck-data"))
}

/// Overrides `evidence_inbox:` (a test, a phone sync folder for one run).
pub const EVIDENCE_INBOX_ENV: &str = "SITECHECK_EVIDENCE_INBOX";

/// A typed path with a leading `~` made the home folder.
pub fn expand_home(typed: &str) -> PathBuf {
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    if typed == "~" {
        return home().unwrap_or_else(|| PathBuf::from(typed));
    }
    if let Some(rest) = typed.strip_prefix("~/")
        && let Some(home) = home()
    {
        return home.join(rest);
    }
    PathBuf::from(typed)
}

/// The user's Pictures folder (`~/Pictures` where the platform names none).
pub fn default_evidence_inbox() -> PathBuf {
    let dirs = directories::UserDirs::new();
    if let Some(pictures) = dirs.as_ref().and_then(|d| d.picture_dir()) {
        return pictures.to_path_buf();
    }
    dirs.map(|d| d.home_dir().join("Pictures"))
        .unwrap_or_else(|| PathBuf::from("Pictures"))
}

impl Config {
    /// The evidence inbox: `SITECHECK_EVIDENCE_INBOX`, else `evidence_inbox:` (a leading `~`
    /// is the home folder), else the Pictures folder. A camera card's DCIM is found beside it
    /// (`store::inbox`).
    pub fn evidence_inbox(&self) -> PathBuf {
        if let Some(dir) = std::env::var_os(EVIDENCE_INBOX_ENV).filter(|v| !v.is_empty()) {
            return PathBuf::from(dir);
        }
        match &self.evidence_inbox {
            Some(dir) => expand_home(&dir.to_string_lossy()),
            None => default_evidence_inbox(),
        }
    }

    /// Reads the config; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.into(),
                    source,
                });
            }
        };
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        serde_saphyr::from_str(&text).map_err(|err| {
            let (line, col) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
            let message = err.without_snippet().to_string();
            let message = message
                .lines()
                .next()
                .unwrap_or("invalid config")
                .to_string();
            ConfigError::Parse {
                path: path.into(),
                line,
                col,
                message,
            }
        })
    }

    /// Writes the config, replacing the file atomically so a crash never leaves half of it.
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let write = |source| ConfigError::Write {
            path: path.into(),
            source,
        };
        let text = serde_saphyr::to_string(self)
            .map_err(|e| write(std::io::Error::other(e.to_string())))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(write)?;
        }
        let tmp = path.with_extension("yaml.tmp");
        std::fs::write(&tmp, text).map_err(write)?;
        std::fs::rename(&tmp, path).map_err(write)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        assert_eq!(Config::load(&path).unwrap(), Config::default());
        let config = Config {
            technician: Some("张三".into()),
            ..Default::default()
        };
        config.save(&path).unwrap();
        assert_eq!(Config::load(&path).unwrap(), config);
        let config = Config {
            evidence_inbox: Some("~/Photos/site".into()),
            ..Default::default()
        };
        config.save(&path).unwrap();
        assert_eq!(Config::load(&path).unwrap(), config);
        std::fs::write(&path, "technican: x\n").unwrap();
        let err = Config::load(&path).unwrap_err().to_string();
        assert!(err.contains(":1:1: error:"), "{err}");
    }
}
