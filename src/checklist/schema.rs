//! `sitecheck schema`: a JSON Schema of the checklist format, for editors.

/// The schema as JSON text.
pub fn json_schema() -> serde_json::Value {
    serde_json::json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "sitecheck checklist, format 1",
        "type": "object",
        "required": ["sitecheck", "id", "version", "title", "sections"]
    })
}
