//! A problem found in a checklist file, and how it is printed.

use std::fmt;
use std::path::Path;

use super::yaml::Pos;
use crate::sanitize::sanitize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub pos: Pos,
    pub level: Level,
    pub message: String,
}

impl Problem {
    pub fn error(pos: Pos, message: impl Into<String>) -> Self {
        Self {
            pos,
            level: Level::Error,
            message: message.into(),
        }
    }

    pub fn warning(pos: Pos, message: impl Into<String>) -> Self {
        Self {
            pos,
            level: Level::Warning,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// `path:line:col: error: message`, the form every editor and CI log understands. The
    /// path and the message (which quotes the file: an unknown key, a value) pass the one
    /// sanitiser, so a printed problem is one line and safe for a terminal.
    pub fn display<'a>(&'a self, path: &'a Path) -> impl fmt::Display + 'a {
        struct Shown<'a>(&'a Problem, &'a Path);
        impl fmt::Display for Shown<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let level = match self.0.level {
                    Level::Error => "error",
                    Level::Warning => "warning",
                };
                write!(
                    f,
                    "{}:{}: {}: {}",
                    sanitize(&self.1.display().to_string()),
                    self.0.pos,
                    level,
                    sanitize(&self.0.message)
                )
            }
        }
        Shown(self, path)
    }
}
