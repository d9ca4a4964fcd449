//! The seal keys kept beside the config file (SPEC section 5): this laptop's own key, made
//! on first use and readable by its user only, and the keys this machine trusts, each for
//! one technician (`sitecheck keys trust`).

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::log::seal::{Sealer, is_key_id};

/// The folder the keys live in: the config file's.
pub struct KeyDir(PathBuf);

/// What `keys show` prints and `keys trust` reads: a laptop's public key and whose it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyCard {
    pub sitecheck_key: u32,
    pub key: String,
    pub technician: String,
    pub host: String,
}

/// A key this machine trusts, for one technician.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedKey {
    pub key: String,
    pub technician: String,
    pub host: String,
    pub trusted_at: String,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{}: error: cannot {what}: {source}", path.display())]
    Io {
        path: PathBuf,
        what: &'static str,
        source: std::io::Error,
    },
    #[error("{}: error: {why}", path.display())]
    Bad { path: PathBuf, why: String },
}

impl KeyDir {
    /// The keys beside `config` (the config file, which need not exist).
    pub fn beside(config: &Path) -> KeyDir {
        KeyDir(
            config
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        )
    }

    fn own_path(&self) -> PathBuf {
        self.0.join("seal.key")
    }

    fn trusted_path(&self) -> PathBuf {
        self.0.join("trusted-keys.json")
    }

    /// This laptop's key, made now if it has none.
    pub fn own_key(&self) -> Result<Sealer, KeyError> {
        let path = self.own_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => parse_secret(&text).map(|secret| Sealer::from_secret(&secret)).ok_or(
                KeyError::Bad {
                    path,
                    why: "not a sitecheck seal key (32 bytes in base64) — move it aside and a new key is made".into(),
                },
            ),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => self.make_key(&path),
            Err(source) => Err(KeyError::Io {
                path,
                what: "read the seal key",
                source,
            }),
        }
    }

    /// Makes the key: 32 random bytes, written to a file only its user can read, made
    /// with `create_new` so that two first runs at once never leave two keys.
    fn make_key(&self, path: &Path) -> Result<Sealer, KeyError> {
        let io = |what, source| KeyError::Io {
            path: path.to_path_buf(),
            what,
            source,
        };
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)
            .map_err(|e| io("make a random key", std::io::Error::other(e.to_string())))?;
        std::fs::create_dir_all(&self.0).map_err(|e| io("make the key's folder", e))?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                writeln!(file, "{}", STANDARD.encode(secret))
                    .and_then(|()| file.sync_all())
                    .map_err(|e| io("write the seal key", e))?;
                Ok(Sealer::from_secret(&secret))
            }
            // Another sitecheck made it in the same instant: use that one.
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => self.own_key(),
            Err(err) => Err(io("make the seal key", err)),
        }
    }

    /// This laptop's key if it has one already (`keys list` makes none).
    pub fn own_key_if_made(&self) -> Result<Sealer, KeyError> {
        if self.own_path().exists() {
            self.own_key()
        } else {
            Err(KeyError::Bad {
                path: self.own_path(),
                why: "no key made yet".into(),
            })
        }
    }

    /// The keys trusted here (none when the file does not exist).
    pub fn trusted(&self) -> Result<Vec<TrustedKey>, KeyError> {
        let path = self.trusted_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(KeyError::Io {
                    path,
                    what: "read the trusted keys",
                    source,
                });
            }
        };
        serde_json::from_str(&text).map_err(|e| KeyError::Bad {
            path,
            why: format!("not a list of trusted keys ({e})"),
        })
    }

    /// Trusts a key for a technician (again: the entry is replaced), written whole and
    /// renamed into place so the list is never half-written.
    pub fn trust(&self, card: &KeyCard, technician: &str, at: &str) -> Result<(), KeyError> {
        let mut keys = self.trusted()?;
        keys.retain(|k| k.key != card.key);
        keys.push(TrustedKey {
            key: card.key.clone(),
            technician: technician.to_owned(),
            host: card.host.clone(),
            trusted_at: at.to_owned(),
        });
        let path = self.trusted_path();
        let io = |what, source| KeyError::Io {
            path: path.clone(),
            what,
            source,
        };
        let text = serde_json::to_string_pretty(&keys).map_err(|e| KeyError::Bad {
            path: path.clone(),
            why: e.to_string(),
        })?;
        std::fs::create_dir_all(&self.0).map_err(|e| io("make the keys' folder", e))?;
        let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        std::fs::write(&tmp, text + "\n")
            .and_then(|()| std::fs::File::open(&tmp)?.sync_all())
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                io("write the trusted keys", e)
            })
    }
}

/// What a visit's seal says, against the keys trusted here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SealStatus {
    /// Sealed by a key trusted for the visit's own technician.
    Trusted,
    /// Sealed by a key trusted for someone else: named.
    OtherTechnician(String),
    /// Sealed by a key not trusted here (`sitecheck keys trust` it once it is known).
    UnknownKey,
    /// Its latest sealable line is not sealed. `expected` when its technician has a key
    /// trusted here: that laptop seals every visit, so a missing seal means a rewrite.
    Unsealed { expected: bool },
}

impl SealStatus {
    /// Whether `verify` counts it as a problem (for a visit that is finished or abandoned).
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            SealStatus::OtherTechnician(_) | SealStatus::Unsealed { expected: true }
        )
    }
}

/// The keys trusted here, to judge seals by.
#[derive(Clone, Debug, Default)]
pub struct Trust {
    keys: Vec<TrustedKey>,
}

impl Trust {
    pub fn new(keys: Vec<TrustedKey>) -> Trust {
        Trust { keys }
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The status of a visit of `technician` whose covering seal is `sealed_by`.
    pub fn status(&self, technician: &str, sealed_by: Option<&str>) -> SealStatus {
        match sealed_by {
            None => SealStatus::Unsealed {
                expected: self.keys.iter().any(|k| k.technician == technician),
            },
            Some(key) => match self.keys.iter().find(|k| k.key == key) {
                Some(k) if k.technician == technician => SealStatus::Trusted,
                Some(k) => SealStatus::OtherTechnician(k.technician.clone()),
                None => SealStatus::UnknownKey,
            },
        }
    }
}

/// Reads a key card file (`keys show`'s output).
pub fn read_card(path: &Path) -> Result<KeyCard, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|source| KeyError::Io {
        path: path.to_path_buf(),
        what: "read the key file",
        source,
    })?;
    let bad = |why: String| KeyError::Bad {
        path: path.to_path_buf(),
        why,
    };
    let card: KeyCard = serde_json::from_str(&text).map_err(|e| {
        bad(format!(
            "not a sitecheck key file ({e}) — make one with `sitecheck keys show > FILE` on the laptop"
        ))
    })?;
    if card.sitecheck_key != 1 || !is_key_id(&card.key) {
        return Err(bad("the key in it is not an ed25519 public key".into()));
    }
    Ok(card)
}

fn parse_secret(text: &str) -> Option<[u8; 32]> {
    STANDARD.decode(text.trim()).ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_kept_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyDir::beside(&dir.path().join("config.yaml"));
        let made = keys.own_key().unwrap();
        let again = keys.own_key().unwrap();
        assert_eq!(made.key_id(), again.key_id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("seal.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_damaged_key_file_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("seal.key"), "garbage").unwrap();
        let keys = KeyDir::beside(&dir.path().join("config.yaml"));
        let err = keys.own_key().unwrap_err().to_string();
        assert!(
            err.contains("seal.key: error: not a sitecheck seal key"),
            "{err}"
        );
    }

    #[test]
    fn a_seal_is_judged_by_whose_key_it_is() {
        let key = |n: u8| Sealer::from_secret(&[n; 32]).key_id().to_owned();
        let trusted = |n: u8, technician: &str| TrustedKey {
            key: key(n),
            technician: technician.into(),
            host: "tb".into(),
            trusted_at: "t".into(),
        };
        let trust = Trust::new(vec![trusted(1, "zhang.san"), trusted(2, "li.si")]);
        assert_eq!(
            trust.status("zhang.san", Some(&key(1))),
            SealStatus::Trusted
        );
        assert_eq!(
            trust.status("zhang.san", Some(&key(2))),
            SealStatus::OtherTechnician("li.si".into())
        );
        assert_eq!(
            trust.status("zhang.san", Some(&key(3))),
            SealStatus::UnknownKey
        );
        assert_eq!(
            trust.status("zhang.san", None),
            SealStatus::Unsealed { expected: true }
        );
        assert_eq!(
            trust.status("wang.wu", None),
            SealStatus::Unsealed { expected: false }
        );
        assert!(!SealStatus::UnknownKey.is_problem());
        assert!(SealStatus::Unsealed { expected: true }.is_problem());
    }

    #[test]
    fn trusting_a_key_again_replaces_its_entry() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyDir::beside(&dir.path().join("config.yaml"));
        let card = KeyCard {
            sitecheck_key: 1,
            key: Sealer::from_secret(&[3; 32]).key_id().to_owned(),
            technician: "zhang.san".into(),
            host: "tb-1".into(),
        };
        keys.trust(&card, "zhang.san", "t1").unwrap();
        keys.trust(&card, "li.si", "t2").unwrap();
        let trusted = keys.trusted().unwrap();
        assert_eq!(trusted.len(), 1);
        assert_eq!(trusted[0].technician, "li.si");
    }
}
