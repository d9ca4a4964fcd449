//! One frame of the run screen at 200x60 over a 500-item checklist (SPEC section 8: <= 1 ms).
//!
//! A visit is started in a temp store, a third of its items answered (some failed), and the
//! screen drawn to ratatui's `TestBackend` with the cursor moving, as a technician's keys do.

mod support;

use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sitecheck::lang::Lang;
use sitecheck::tui::run::{RunScreen, view};
use sitecheck::tui::theme::Theme;

fn main() {
    let items = support::env_usize("BENCH_RENDER_ITEMS", 500);
    let frames = support::env_usize("BENCH_RENDER_FRAMES", 2000);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut session = support::start_session(dir.path(), &support::checklist_yaml("render", items));
    let answers: Vec<_> = session
        .checklist
        .items()
        .enumerate()
        .filter(|(n, _)| n % 3 == 0)
        .map(|(n, (_, item))| (item.id.clone(), support::answer_for(item, n)))
        .collect();
    for (id, value) in answers {
        session.answer(&id, value);
    }
    let mut screen = RunScreen::new(session, Lang::En, Theme::new(true));
    let visible: Vec<usize> = screen.visible().collect();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test terminal");

    let mut draw = |screen: &mut RunScreen, n: usize| {
        // Walk the middle of the list, so every frame differs from the last.
        screen.cursor = visible[(visible.len() / 2 + n % 40).min(visible.len() - 1)];
        let start = Instant::now();
        terminal
            .draw(|frame| screen.hits = view::render(screen, frame))
            .expect("draw");
        start.elapsed()
    };
    for n in 0..frames / 10 {
        draw(&mut screen, n);
    }
    let times = support::Samples::new((0..frames).map(|n| draw(&mut screen, n)).collect());
    eprintln!(
        "render: {items} items, 200x60, {} frames: median {}, p99 {}",
        times.len(),
        support::ms(times.median()),
        support::ms(times.pct(99.0))
    );
    support::row(
        &format!("frame render 200x60, {items}-item checklist (median)"),
        "<= 1 ms",
        "-",
        &support::ms(times.median()),
        "-",
    );
}
