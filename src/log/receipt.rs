//! Receipt codes (SPEC section 5): the first 50 bits of a line's hash in Crockford base32,
//! `XXXXX-XXXXX`, for the customer's work order. Short enough to copy by hand, long enough
//! that a rewritten log does not hold it by chance (one in 10^15).

/// Crockford's alphabet: no I, L, O or U, so a code read aloud or by hand survives.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The receipt of a line whose hash is `hash` (64 hex digits); `None` for anything else.
pub fn receipt_code(hash: &str) -> Option<String> {
    let bits = leading_bits(hash)?;
    let mut code = String::with_capacity(11);
    for index in 0..10 {
        if index == 5 {
            code.push('-');
        }
        let digit = (bits >> (45 - 5 * index)) & 0x1f;
        code.push(char::from(ALPHABET[digit as usize]));
    }
    Some(code)
}

/// The receipt the customer was last shown: that of the visit's latest `finished` line or
/// amendment.
pub fn latest_receipt(events: &[crate::log::Event]) -> Option<String> {
    use crate::log::EventKind;
    events
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EventKind::Finished { .. }) || e.kind.is_amendment())
        .and_then(|e| receipt_code(&e.hash))
}

/// The 50 bits a typed code stands for: case, hyphens and spaces ignored, and the letters
/// people confuse read as Crockford says (I and L as 1, O as 0). `None` when it is not ten
/// such digits.
pub fn parse_receipt(code: &str) -> Option<u64> {
    let mut bits = 0u64;
    let mut digits = 0;
    for c in code.chars() {
        let value = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'I' | 'L' => 1,
            'O' => 0,
            c => ALPHABET.iter().position(|&a| char::from(a) == c)? as u64,
        };
        bits = (bits << 5) | value;
        digits += 1;
        if digits > 10 {
            return None;
        }
    }
    (digits == 10).then_some(bits)
}

/// Whether the line whose hash is `hash` is the one a receipt stands for.
pub fn holds(receipt: u64, hash: &str) -> bool {
    leading_bits(hash) == Some(receipt)
}

/// The first 50 bits of a hex hash.
fn leading_bits(hash: &str) -> Option<u64> {
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let first = u64::from_str_radix(hash.get(..13)?, 16).ok()?; // 52 bits
    Some(first >> 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "ffffffffffffc000000000000000000000000000000000000000000000000000";

    #[test]
    fn the_code_is_the_first_fifty_bits() {
        assert_eq!(receipt_code(HASH).as_deref(), Some("ZZZZZ-ZZZZZ"));
        let zero = "0".repeat(64);
        assert_eq!(receipt_code(&zero).as_deref(), Some("00000-00000"));
        // 0x0842108421084 >> 2 = 00001 00001 ... in fives.
        let ones = format!("{:0<64}", "0842108421084");
        assert_eq!(receipt_code(&ones).as_deref(), Some("11111-11111"));
    }

    #[test]
    fn a_code_read_back_holds_its_line_however_it_is_typed() {
        let hash = "3f2a9c0d1e7b44556677889900aabbccddeeff00112233445566778899aabbcc";
        let code = receipt_code(hash).unwrap();
        for typed in [
            code.clone(),
            code.to_lowercase(),
            code.replace('-', ""),
            code.replace('-', " "),
        ] {
            assert!(holds(parse_receipt(&typed).unwrap(), hash), "{typed}");
        }
        let other = hash.replacen('3', "4", 1);
        assert!(!holds(parse_receipt(&code).unwrap(), &other));
    }

    #[test]
    fn confusable_letters_read_as_crockford_says_and_bad_codes_are_none() {
        assert_eq!(parse_receipt("OOOOO-IIIII"), parse_receipt("00000-11111"));
        assert_eq!(parse_receipt("lllll-00000"), parse_receipt("11111-00000"));
        for bad in ["", "12345", "12345-123456", "UUUUU-UUUUU", "1234*-12345"] {
            assert_eq!(parse_receipt(bad), None, "{bad}");
        }
        assert_eq!(receipt_code("not a hash"), None);
    }
}
