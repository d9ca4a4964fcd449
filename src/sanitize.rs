//! The one sanitiser: what every string from a record, a file name or a checklist passes on
//! its way to a terminal (SPEC section 2). At the bottom of the layers, so that every module
//! that words something can use it; `present` hands it on to the screens and commands.

/// Text from a record, made safe to show: control characters (C0, DEL, C1: escape sequences
/// among them), bidirectional overrides and isolates, and zero-width characters become a
/// visible placeholder; line breaks and tabs become spaces. Nothing from a file can then
/// move the cursor, recolour the screen, reorder what is read, or hide itself.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if is_hazard(c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Whether a character may not reach a terminal as it is.
pub(crate) fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Bidirectional marks, embeddings, overrides and isolates.
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            // Zero-width space, joiners, word joiner, invisible operators, BOM.
            | '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
            // Line and paragraph separators (a terminal may break the line).
            | '\u{2028}' | '\u{2029}'
        )
}

/// Whether `text` would change on its way to a terminal.
pub fn needs_sanitizing(text: &str) -> bool {
    text.chars()
        .any(|c| c == '\n' || c == '\r' || c == '\t' || is_hazard(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_pass() {
        assert_eq!(sanitize("a\u{1b}[2Jb\u{7}"), "a\u{fffd}[2Jb\u{fffd}");
        // C1 controls (CSI as one byte) and DEL too.
        assert_eq!(sanitize("a\u{9b}31mb\u{7f}"), "a\u{fffd}31mb\u{fffd}");
    }

    #[test]
    fn bidi_overrides_and_zero_width_characters_never_pass() {
        // "invoice" reversed on screen by an override, a zero-width space hiding in a name.
        assert_eq!(sanitize("a\u{202e}b\u{2066}c"), "a\u{fffd}b\u{fffd}c");
        assert_eq!(sanitize("Li\u{200b}Si\u{feff}"), "Li\u{fffd}Si\u{fffd}");
        assert!(needs_sanitizing("x\u{200d}"));
        assert!(!needs_sanitizing("王女士 WO-1234"));
        assert_eq!(sanitize("王女士"), "王女士");
    }
}
