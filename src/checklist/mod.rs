//! Checklists: the format's types, reading them from YAML, linting, the JSON Schema.
pub mod library;
pub mod lint;
mod model;
mod parse;
mod problem;
pub mod schema;
mod text;
pub mod yaml;

pub use library::{ChecklistSummary, Found, Library, Listed, LookupError, Origin};
pub use model::*;
pub use parse::{FORMAT_VERSION, Parsed, is_id, parse_recorded, parse_str, sha256_hex};
pub use problem::{Level, Problem};
pub use text::{Text, is_language_tag};
