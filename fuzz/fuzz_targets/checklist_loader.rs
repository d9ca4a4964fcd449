//! The checklist loader on arbitrary text: it must never panic, hang or blow the stack, and
//! whatever it accepts must be a checklist it reports no error for.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    let parsed = sitecheck::checklist::parse_str(source);
    let has_errors = parsed.problems.iter().any(|p| p.is_error());
    assert_eq!(parsed.checklist.is_some(), !has_errors);
    for problem in &parsed.problems {
        assert!(problem.pos.line >= 1 && problem.pos.col >= 1, "{problem:?}");
    }
});
