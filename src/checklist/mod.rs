//! Checklists: the format's types, reading them from YAML, linting, the JSON Schema.
mod model;
mod parse;
mod problem;
mod text;
pub mod yaml;

pub use model::*;
pub use parse::{FORMAT_VERSION, Parsed, is_id, parse_str, sha256_hex};
pub use problem::{Level, Problem};
pub use text::{Text, is_language_tag};
