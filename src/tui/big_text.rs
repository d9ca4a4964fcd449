//! Large type for a receipt code (SPEC section 5): five rows of block characters, so the
//! customer can copy the code onto the work order from across the table.

/// Each glyph: five rows of three cells, `#` drawn. Crockford's alphabet and `-`.
fn glyph(c: char) -> Option<[&'static str; 5]> {
    Some(match c {
        '0' => ["###", "# #", "# #", "# #", "###"],
        '1' => [" # ", "## ", " # ", " # ", "###"],
        '2' => ["###", "  #", "###", "#  ", "###"],
        '3' => ["###", "  #", " ##", "  #", "###"],
        '4' => ["# #", "# #", "###", "  #", "  #"],
        '5' => ["###", "#  ", "###", "  #", "###"],
        '6' => ["###", "#  ", "###", "# #", "###"],
        '7' => ["###", "  #", " # ", " # ", " # "],
        '8' => ["###", "# #", "###", "# #", "###"],
        '9' => ["###", "# #", "###", "  #", "###"],
        'A' => [" # ", "# #", "###", "# #", "# #"],
        'B' => ["## ", "# #", "## ", "# #", "## "],
        'C' => ["###", "#  ", "#  ", "#  ", "###"],
        'D' => ["## ", "# #", "# #", "# #", "## "],
        'E' => ["###", "#  ", "###", "#  ", "###"],
        'F' => ["###", "#  ", "###", "#  ", "#  "],
        'G' => ["###", "#  ", "# #", "# #", "###"],
        'H' => ["# #", "# #", "###", "# #", "# #"],
        'J' => ["  #", "  #", "  #", "# #", "###"],
        'K' => ["# #", "## ", "#  ", "## ", "# #"],
        'M' => ["# #", "###", "###", "# #", "# #"],
        'N' => ["###", "# #", "# #", "# #", "# #"],
        'P' => ["###", "# #", "###", "#  ", "#  "],
        'Q' => ["###", "# #", "# #", "###", "  #"],
        'R' => ["## ", "# #", "## ", "# #", "# #"],
        'S' => [" ##", "#  ", " # ", "  #", "## "],
        'T' => ["###", " # ", " # ", " # ", " # "],
        'V' => ["# #", "# #", "# #", "# #", " # "],
        'W' => ["# #", "# #", "###", "###", "# #"],
        'X' => ["# #", "# #", " # ", "# #", "# #"],
        'Y' => ["# #", "# #", " # ", " # ", " # "],
        'Z' => ["###", "  #", " # ", "#  ", "###"],
        '-' => ["   ", "   ", "###", "   ", "   "],
        _ => return None,
    })
}

/// The rows of `text` in large type (a column between glyphs), or `None` when a character
/// has no glyph.
pub fn big_rows(text: &str) -> Option<[String; 5]> {
    let mut rows: [String; 5] = Default::default();
    for (index, c) in text.chars().enumerate() {
        let glyph = glyph(c.to_ascii_uppercase())?;
        for (row, cells) in rows.iter_mut().zip(glyph) {
            if index > 0 {
                row.push(' ');
            }
            row.extend(
                cells
                    .chars()
                    .map(|cell| if cell == '#' { '█' } else { ' ' }),
            );
        }
    }
    Some(rows)
}

/// How many columns `big_rows(text)` takes.
pub fn big_width(text: &str) -> usize {
    text.chars().count() * 4 - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_receipt_character_has_a_glyph_and_glyphs_differ() {
        let alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ-";
        let mut seen = std::collections::HashSet::new();
        for c in alphabet.chars() {
            let glyph = glyph(c).unwrap();
            assert!(glyph.iter().all(|row| row.chars().count() == 3), "{c}");
            assert!(seen.insert(glyph), "{c} looks like another");
        }
        assert!(big_rows("AB01-").is_some());
        assert!(big_rows("I").is_none(), "not in the alphabet");
    }

    #[test]
    fn rows_are_as_wide_as_said() {
        let rows = big_rows("7K2Q9-XM4TB").unwrap();
        for row in &rows {
            assert_eq!(row.chars().count(), big_width("7K2Q9-XM4TB"));
        }
    }
}
