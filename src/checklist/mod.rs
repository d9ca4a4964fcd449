//! Checklists: the format's types, reading them from YAML, linting, the JSON Schema.
pub mod yaml;
