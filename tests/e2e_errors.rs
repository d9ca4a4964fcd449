//! End to end: an error that ends the screens is printed after the terminal is given back,
//! where it can be read, with `error:` and exit code 2 — not under the alternate screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{Pty, key};
use common::site::{BIN, Site};

#[test]
fn an_error_after_the_header_form_is_readable_once_the_screen_is_gone() {
    let site = Site::new();
    // The data folder cannot be made: a file stands where its parent folder would be.
    let blocker = site.data().with_file_name("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let data = blocker.join("data");
    let args = [
        "--data-dir",
        data.to_str().unwrap(),
        "--technician",
        "zhang.san",
        "--lang",
        "en",
        "run",
        "haier-12345",
    ];
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let mut pty = Pty::spawn(site.builder(BIN, &args, &[]), 80, 24);
    pty.wait_for_text("Start the visit");
    pty.send("WO-1234");
    pty.send(key::ENTER);
    pty.send("Li Si");
    // Enter walks the fields (address, appointment) down to the start row.
    for _ in 0..3 {
        pty.send(key::ENTER);
    }
    pty.wait_for_text("▸ [ Start the visit ]");
    pty.send(key::ENTER);
    let code = pty.wait_for_exit();
    let screen = pty.screen_text();
    assert_eq!(code, 2, "{screen}");
    assert!(!pty.modes().alternate_screen);
    assert!(
        screen.contains("error:"),
        "the error is on the restored screen:\n{screen}"
    );
    assert!(screen.contains("not-a-folder"), "{screen}");
}
