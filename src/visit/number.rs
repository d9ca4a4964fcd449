//! Numbers as technicians type them: a comma is a decimal point on many keyboards, and only
//! finite values are numbers (`inf` and `NaN` parse as floats but are no measurement).

/// The number typed, if it is one.
pub fn parse_number(text: &str) -> Option<f64> {
    let normalised = text.trim().replace(',', ".");
    normalised.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Decimal places typed (`230.50` has 2), counted as typed so that a trailing 0 counts.
pub fn decimal_places(text: &str) -> usize {
    let normalised = text.trim().replace(',', ".");
    normalised.split_once('.').map_or(0, |(_, frac)| frac.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_typed() {
        assert_eq!(parse_number(" 230,5 "), Some(230.5));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("1e999"), None);
        assert_eq!(parse_number("12a"), None);
        assert_eq!(decimal_places("230.50"), 2);
        assert_eq!(decimal_places("7"), 0);
    }
}
