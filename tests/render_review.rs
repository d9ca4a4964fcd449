//! The supervisor's screens drawn to `TestBackend` over a small hand-written store: the
//! list, a visit's detail and the stats, at 80x24 and 160x48, in English and Chinese;
//! the smallest usable size, the "too small" message, monochrome, and text from records
//! that tries to reach the terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod render_support;
mod review_support;

use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use render_support::{LANGS, suffix};
use review_support::*;
use sitecheck::lang::Lang;
use sitecheck::tui::review::Tab;
use sitecheck::tui::review::strings::review_strings;
use sitecheck::tui::theme::Theme;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// Snapshots a screen: wide characters checked, the temporary folder's path made stable.
fn snap(name: &str, backend: &TestBackend) {
    render_support::assert_wide_chars_intact(backend);
    let text = render_support::snapshot_text(backend);
    let mut settings = render_support::settings();
    settings.add_filter(r"/\S*?/\.tmp\w+/data/", "<tmp>/data/");
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn the_list_of_visits() {
    let store = small_store();
    for lang in LANGS {
        for (w, h) in SIZES {
            let mut screen = screen(&store.data(), lang, Some("li.si"));
            let backend = draw(&mut screen, w, h);
            let text = screen_text(&backend);
            assert!(text.contains("WO-2026-0102") || w < 100, "{text}");
            assert!(text.contains("8 "), "the count of visits:\n{text}");
            snap(&format!("list_{}_{w}x{h}", suffix(lang)), &backend);
        }
    }
}

#[test]
fn every_column_shows_at_160_and_the_list_fits_80() {
    let store = small_store();
    let s = review_strings(Lang::En);
    let mut screen = screen(&store.data(), Lang::En, Some("li.si"));
    let wide = screen_text(&draw(&mut screen, 160, 48));
    let header = wide.lines().nth(1).unwrap();
    for title in [
        s.col_date,
        s.col_technician,
        s.col_checklist,
        s.col_work_order,
        s.col_duration,
        s.col_score,
        s.col_result,
        s.col_failures,
        s.col_rushed,
        s.col_integrity,
        s.col_verdict,
    ] {
        assert!(header.contains(title), "{title} missing from {header:?}");
    }
    let narrow = screen_text(&draw(&mut screen, 80, 24));
    let header = narrow.lines().nth(1).unwrap();
    assert!(!header.contains(s.col_duration), "{header}");
    for title in [s.col_date, s.col_result, s.col_verdict, s.col_rushed] {
        assert!(header.contains(title), "{title} missing from {header:?}");
    }
}

#[test]
fn the_detail_of_a_failed_visit_flagged_for_follow_up() {
    let store = small_store();
    for lang in LANGS {
        for (w, h) in SIZES {
            let mut screen = screen(&store.data(), lang, Some("li.si"));
            select(&mut screen, &store.failed.id);
            screen.handle_key(key(KeyCode::Enter));
            assert!(screen.detail.is_some());
            let backend = draw(&mut screen, w, h);
            let text = screen_text(&backend);
            assert!(text.contains("badge left in the van"), "{text}");
            assert!(text.contains("WO-2026-0102"), "{text}");
            snap(&format!("detail_failed_{}_{w}x{h}", suffix(lang)), &backend);
        }
    }
}

#[test]
fn the_detail_of_an_amended_visit_shows_the_reason_and_the_outdated_review() {
    let store = small_store();
    for lang in LANGS {
        let s = review_strings(lang);
        let mut screen = screen(&store.data(), lang, Some("li.si"));
        select(&mut screen, &store.amended.id);
        screen.handle_key(key(KeyCode::Enter));
        let top = screen_text(&draw(&mut screen, 80, 24));
        assert!(top.contains(s.outdated), "{top}");
        // The satisfaction rating is near the end: End goes there.
        screen.handle_key(key(KeyCode::End));
        let backend = draw(&mut screen, 80, 24);
        let text = screen_text(&backend);
        assert!(text.contains("satisfied after all"), "{text}");
        assert!(
            text.contains("call the customer about the rating"),
            "{text}"
        );
        snap(&format!("detail_amended_{}_80x24", suffix(lang)), &backend);
    }
}

#[test]
fn the_detail_of_a_rushed_visit_marks_its_answers() {
    let store = small_store();
    let s = review_strings(Lang::En);
    let mut screen = screen(&store.data(), Lang::En, Some("li.si"));
    select(&mut screen, &store.rushed.id);
    screen.handle_key(key(KeyCode::Enter));
    screen.handle_key(key(KeyCode::Down));
    let backend = draw(&mut screen, 80, 24);
    let text = screen_text(&backend);
    assert!(text.contains(s.rushed_visit), "{text}");
    assert!(
        text.contains("»✓"),
        "answers a second apart are marked:\n{text}"
    );
    assert!(text.contains("+1s"), "{text}");
    snap("detail_rushed_en_80x24", &backend);
}

#[test]
fn the_detail_of_an_altered_log_names_the_line() {
    let store = small_store();
    let mut screen = screen(&store.data(), Lang::En, Some("li.si"));
    select(&mut screen, &store.damaged.id);
    screen.handle_key(key(KeyCode::Enter));
    screen.handle_key(key(KeyCode::End));
    let backend = draw(&mut screen, 80, 24);
    let text = screen_text(&backend);
    assert!(text.contains("Integrity: ✗"), "{text}");
    snap("detail_damaged_en_80x24", &backend);
}

#[test]
fn the_stats_tab() {
    let store = small_store();
    for lang in LANGS {
        for (w, h) in SIZES {
            let mut screen = screen(&store.data(), lang, Some("li.si"));
            screen.handle_key(key(KeyCode::Tab));
            assert_eq!(screen.tab, Tab::Stats);
            let backend = draw(&mut screen, w, h);
            snap(&format!("stats_{}_{w}x{h}", suffix(lang)), &backend);
        }
    }
}

#[test]
fn the_comment_box_and_the_help() {
    let store = small_store();
    for lang in LANGS {
        let mut screen = screen(&store.data(), lang, Some("li.si"));
        select(&mut screen, &store.rushed.id);
        screen.handle_key(ch('r'));
        type_text(&mut screen, "再核实一遍");
        snap(
            &format!("comment_follow_up_{}_80x24", suffix(lang)),
            &draw(&mut screen, 80, 24),
        );
        screen.handle_key(key(KeyCode::Esc));
        screen.handle_key(ch('?'));
        snap(
            &format!("help_{}_80x24", suffix(lang)),
            &draw(&mut screen, 80, 24),
        );
    }
}

#[test]
fn the_smallest_size_and_below() {
    let store = small_store();
    for lang in LANGS {
        let mut screen = screen(&store.data(), lang, Some("li.si"));
        snap(
            &format!("small_list_{}_60x16", suffix(lang)),
            &draw(&mut screen, 60, 16),
        );
        select(&mut screen, &store.failed.id);
        screen.handle_key(key(KeyCode::Enter));
        let backend = draw(&mut screen, 60, 16);
        assert!(
            screen_text(&backend).contains("badge left in the van"),
            "the first item is in view:\n{}",
            screen_text(&backend)
        );
        snap(&format!("small_detail_{}_60x16", suffix(lang)), &backend);
        let backend = draw(&mut screen, 59, 16);
        let text = screen_text(&backend);
        assert!(text.contains("60x16") && text.contains("59x16"), "{text}");
        // Keys do nothing while only the message shows.
        screen.handle_key(key(KeyCode::Esc));
        assert!(screen.detail.is_some());
        screen.handle_key(ch('a'));
        assert!(screen.modal.is_none());
        draw(&mut screen, 60, 16);
        screen.handle_key(key(KeyCode::Esc));
        assert!(screen.detail.is_none());
    }
}

#[test]
fn monochrome_draws_no_colour_and_keeps_the_symbols() {
    let store = small_store();
    let mut screen = screen_with(&store.data(), Lang::En, Some("li.si"), Theme::new(false));
    let mut screens = vec![draw(&mut screen, 80, 24)];
    select(&mut screen, &store.failed.id);
    screen.handle_key(key(KeyCode::Enter));
    screens.push(draw(&mut screen, 80, 24));
    screen.handle_key(key(KeyCode::Esc));
    screen.handle_key(key(KeyCode::Tab));
    screens.push(draw(&mut screen, 80, 24));
    for backend in &screens {
        for cell in &backend.buffer().content {
            assert_eq!(cell.fg, Color::Reset, "{:?}", cell.symbol());
            assert_eq!(cell.bg, Color::Reset, "{:?}", cell.symbol());
        }
    }
    let list = screen_text(&screens[0]);
    assert!(
        list.contains("✗ fail") && list.contains("✓ approved"),
        "{list}"
    );
    // The cursor's row (the first visit) stands out without colour.
    let first_row = &screens[0].buffer().content[2 * 80..3 * 80];
    assert!(
        first_row
            .iter()
            .all(|c| c.modifier.contains(Modifier::REVERSED)),
        "the selected row is drawn reversed"
    );
}

#[test]
fn text_from_records_never_reaches_the_terminal_as_control_characters() {
    let store = small_store();
    let mut screen = screen(&store.data(), Lang::En, Some("li.si"));
    let mut screens = vec![draw(&mut screen, 160, 48)];
    select(&mut screen, &store.hostile.id);
    screen.handle_key(key(KeyCode::Enter));
    screens.push(draw(&mut screen, 160, 48));
    screen.handle_key(ch('!'));
    screens.push(draw(&mut screen, 160, 48));
    for backend in &screens {
        for cell in &backend.buffer().content {
            assert!(
                !cell.symbol().chars().any(char::is_control),
                "{:?} drawn",
                cell.symbol()
            );
        }
    }
    let detail = screen_text(&screens[1]);
    assert!(detail.contains("wiped"), "{detail}");
    assert!(detail.contains("notes look copied"), "{detail}");
}

#[test]
fn the_detail_shows_the_technicians_answer_to_the_comment_and_who_gave_it() {
    let store = small_store();
    // The technician answers the general comment: an amendment without an item.
    let (mut writer, _, _) = sitecheck::log::VisitWriter::open(&store.amended.path).unwrap();
    writer
        .append(sitecheck::log::EventKind::Amended {
            item: None,
            value: serde_json::Value::Null,
            note: None,
            reason: "called back twice, happy now".into(),
            technician: Some("wang.wu".into()),
            host: Some("tb-0099".into()),
        })
        .unwrap();
    drop(writer);
    for (lang, words) in [
        (Lang::En, "↩ technician's answer 20"),
        (Lang::ZhCn, "↩ 技术员的答复 20"),
    ] {
        let s = review_strings(lang);
        let mut screen = screen(&store.data(), lang, Some("li.si"));
        select(&mut screen, &store.amended.id);
        screen.handle_key(key(KeyCode::Enter));
        let text = screen_text(&draw(&mut screen, 80, 24));
        assert!(text.contains(words), "{text}");
        assert!(
            text.contains(&format!(
                "{}{}wang.wu@tb-0099",
                s.amended_by,
                if lang == Lang::En { ": " } else { "：" }
            )),
            "{text}"
        );
        // Wrapped on the narrow screen: its words, in order.
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("called back twice, happy now"), "{text}");
    }
}

#[test]
fn the_to_review_queue() {
    let store = small_store();
    for lang in LANGS {
        let mut screen = screen(&store.data(), lang, Some("li.si"));
        // As `sitecheck review` opens without a `--verdict`.
        screen.set_filters(
            None,
            Some(sitecheck::review::filter::VerdictFilter::ToReview),
        );
        let listed = listed(&screen);
        assert!(
            listed.contains(&store.amended.id),
            "amended after its follow-up"
        );
        assert!(!listed.contains(&store.approved.id));
        snap(
            &format!("queue_to_review_{}_120x24", suffix(lang)),
            &draw(&mut screen, 120, 24),
        );
    }
}

#[test]
fn the_stats_tab_at_120_columns_with_the_ranking_and_a_breakdown() {
    let store = small_store();
    for lang in LANGS {
        let mut screen = screen(&store.data(), lang, Some("li.si"));
        screen.handle_key(key(KeyCode::Tab));
        let backend = draw(&mut screen, 120, 40);
        let text = screen_text(&backend);
        assert!(
            !text.contains("compliance 9…") && !text.contains("合规率 9…"),
            "{text}"
        );
        snap(&format!("stats_{}_120x40", suffix(lang)), &backend);
        // `b` twice: by checklist.
        screen.handle_key(ch('b'));
        screen.handle_key(ch('b'));
        let backend = draw(&mut screen, 120, 40);
        let text = screen_text(&backend);
        let heading = if lang == Lang::En {
            "By checklist"
        } else {
            "按检查表"
        };
        assert!(text.contains(heading), "{text}");
        snap(
            &format!("stats_by_checklist_{}_120x40", suffix(lang)),
            &backend,
        );
    }
}

#[test]
fn a_verdict_refused_on_an_open_visit() {
    let store = small_store();
    for lang in LANGS {
        let mut screen = screen(&store.data(), lang, Some("li.si"));
        select(&mut screen, &store.open.id);
        screen.handle_key(ch('a'));
        assert!(screen.modal.is_none());
        snap(
            &format!("refused_open_{}_120x24", suffix(lang)),
            &draw(&mut screen, 120, 24),
        );
    }
}

#[test]
fn choice_header_fields_show_their_labels_in_the_detail() {
    let store = small_store();
    for (lang, shown) in [
        (Lang::En, "Visit type New install"),
        (Lang::ZhCn, "安装类型 新机安装"),
    ] {
        let mut screen = screen(&store.data(), lang, Some("li.si"));
        select(&mut screen, &store.approved.id);
        screen.handle_key(key(KeyCode::Enter));
        let text = screen_text(&draw(&mut screen, 120, 30));
        assert!(text.contains(shown), "{text}");
        assert!(!text.contains("new_install"), "{text}");
    }
}

#[test]
fn a_closed_visit_unsealed_from_a_laptop_that_seals_is_marked_in_the_list() {
    use sitecheck::keys::{Trust, TrustedKey};
    let store = small_store();
    for (lang, word) in [(Lang::En, "✗ no seal"), (Lang::ZhCn, "✗ 缺封签")] {
        let mut screen = screen(&store.data(), lang, Some("li.si"));
        screen.set_filters(None, None);
        let before = screen_text(&draw(&mut screen, 200, 24));
        assert!(
            !before.contains(word),
            "nothing trusted, nothing expected:\n{before}"
        );
        // The office trusts a key for the technician of the approved (finished) visit: his
        // laptop seals every visit, so an unsealed finished one was rewritten without it.
        let technician = screen
            .store
            .get(&store.approved.id)
            .map(|v| v.technician.clone())
            .unwrap_or_default();
        let key = sitecheck::log::seal::Sealer::from_secret(&[9; 32]);
        screen.store.trust = Trust::new(vec![TrustedKey {
            key: key.key_id().to_owned(),
            technician,
            host: "tb-0001".into(),
            trusted_at: "2026-11-20T09:00:00.000+08:00".into(),
        }]);
        // Wide enough for the log column's words (narrower, it keeps its ✗ alone).
        let text = screen_text(&draw(&mut screen, 200, 24));
        assert!(text.contains(word), "{text}");
    }
}

#[test]
fn the_detail_lists_each_item_s_files_and_whether_they_hold() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let written = write_visit(
        &data,
        &VisitSpec {
            work_order: "WO-2026-0300",
            photos: vec![
                ("badge", "badge.png", b"\x89PNG\r\n\x1a\nbadge".to_vec()),
                ("badge", "gone.jpg", b"\xff\xd8\xffgone".to_vec()),
                ("price_list", "prices.jpg", b"\xff\xd8\xffprices".to_vec()),
            ],
            ..VisitSpec::new(
                7,
                "appliance-install",
                "zhang.san",
                "2025-11-20T09:00:00.000+08:00",
            )
        },
    );
    // One file deleted, one altered after the visit: the detail says so.
    let log = std::fs::read_to_string(&written.path).unwrap();
    let sha_of = |name: &str| {
        log.lines()
            .find(|l| l.contains(&format!("\"name\":\"{name}\"")))
            .and_then(|l| l.split("\"sha256\":\"").nth(1))
            .map(|rest| rest[..64].to_owned())
            .unwrap()
    };
    let stored = |sha: &str| data.join("evidence").join(&sha[..2]).join(sha);
    std::fs::remove_file(stored(&sha_of("gone.jpg"))).unwrap();
    std::fs::write(stored(&sha_of("prices.jpg")), b"changed").unwrap();
    for lang in LANGS {
        let mut screen = screen(&data, lang, Some("li.si"));
        select(&mut screen, &written.id);
        screen.handle_key(key(KeyCode::Enter));
        let backend = draw(&mut screen, 80, 24);
        let text = screen_text(&backend);
        assert!(text.contains("badge.png"), "{text}");
        snap(&format!("detail_evidence_{}_80x24", suffix(lang)), &backend);
    }
    // `o` on an item without files says so, in the status line.
    let mut screen = screen(&data, sitecheck::lang::Lang::En, Some("li.si"));
    select(&mut screen, &written.id);
    screen.handle_key(key(KeyCode::Enter));
    screen.handle_key(key(KeyCode::Down));
    screen.handle_key(ch('o'));
    let text = screen_text(&draw(&mut screen, 80, 24));
    assert!(text.contains("no photos or files"), "{text}");
}
