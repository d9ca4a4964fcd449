//! How a visit is named wherever it appears (SPEC section 4): its work order, else its
//! first required text field, else its start time.

use crate::checklist::{Field, FieldKind};

/// The visit's name. `field` looks up a header field's value as text; `started_at` is the
/// `started` event's RFC 3339 time, shown as `YYYY-MM-DD HH:MM` when nothing else names it.
pub fn visit_name<'a>(
    fields: &[Field],
    field: impl Fn(&str) -> Option<&'a str>,
    started_at: &str,
) -> String {
    let given = |id: &str| field(id).map(str::trim).filter(|v| !v.is_empty());
    if let Some(work_order) = given("work_order") {
        return work_order.to_owned();
    }
    let first_required_text = fields
        .iter()
        .filter(|f| f.required && f.kind == FieldKind::Text)
        .find_map(|f| given(&f.id));
    match first_required_text {
        Some(name) => name.to_owned(),
        None => start_time(started_at),
    }
}

/// `2026-11-22T10:00:00.123+08:00` as `2026-11-22 10:00` (the technician's local time, as
/// recorded); anything else as it is.
pub fn start_time(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(time) => time.format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => at.to_owned(),
    }
}

/// Whether two technician names are the same person's: as `--technician` filters compare
/// them, without regard to ASCII case or surrounding spaces.
pub fn same_technician(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::parse_str;

    fn fields(yaml: &str) -> Vec<Field> {
        let source = format!(
            "sitecheck: 1\nid: t\nversion: \"1\"\ntitle: T\nvisit_fields:\n{yaml}\nsections:\n  - id: s\n    title: S\n    items:\n      - {{ id: a, prompt: A, kind: check }}\n"
        );
        parse_str(&source)
            .checklist
            .expect("valid checklist")
            .visit_fields
    }

    #[test]
    fn a_visit_is_named_by_work_order_then_first_required_text_then_start() {
        let defs = fields(
            "  - { id: note, label: N, kind: text }\n  - { id: when, label: W, kind: date, required: true }\n  - { id: patient, label: P, kind: text, required: true }",
        );
        let at = "2026-11-22T10:05:00.123+08:00";
        let with = |pairs: &'static [(&'static str, &'static str)]| {
            visit_name(
                &defs,
                |id| pairs.iter().find(|(k, _)| *k == id).map(|(_, v)| *v),
                at,
            )
        };
        assert_eq!(with(&[("work_order", "WO-1"), ("patient", "P-7")]), "WO-1");
        assert_eq!(with(&[("work_order", "  "), ("patient", "P-7")]), "P-7");
        assert_eq!(
            with(&[("note", "optional text"), ("when", "2026-11-22")]),
            "2026-11-22 10:05"
        );
        assert_eq!(visit_name(&[], |_| None, "not a time"), "not a time");
    }
}
