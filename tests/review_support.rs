//! Helpers shared by the `review_*` and `render_review` tests (a module of each, not a test
//! of its own): a small store of visits written by hand — fixed ids, times and answers, so
//! the screens drawn from it are the same on every run — and the review screen over it.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Map, Value, json};
use sitecheck::checklist::{Checklist, ItemKind, Library, NotePolicy, YesNo};
use sitecheck::config::{Config, RushedThresholds};
use sitecheck::lang::Lang;
use sitecheck::log::chain;
use sitecheck::log::{ChecklistRef, Event, EventKind, StartInfo, Summary};
use sitecheck::store::index::open::{OpenOptions, open_store};
use sitecheck::tui::review::{ReviewContext, ReviewScreen};
use sitecheck::tui::theme::Theme;
use sitecheck::visit::{AnswerValue, Answers, ItemState, evaluate};

pub fn checklist(id: &str) -> Checklist {
    Library::default()
        .bundled(id)
        .unwrap_or_else(|| panic!("no bundled checklist {id}"))
        .checklist
}

/// How a visit ends.
#[derive(Clone, Debug)]
pub enum End {
    Finished,
    Abandoned(&'static str),
    /// Left open after this many answers.
    Open(usize),
}

/// A visit to write: every visible item answered with a passing value, but for
/// `overrides` (item, value, note), `gap_s` seconds apart.
#[derive(Clone, Debug)]
pub struct VisitSpec {
    /// Tells visits of the same start second apart (the ULID's random part).
    pub n: u64,
    pub checklist: &'static str,
    pub technician: &'static str,
    /// RFC 3339 with milliseconds and offset.
    pub start: &'static str,
    pub work_order: &'static str,
    pub customer: &'static str,
    pub gap_s: u64,
    pub overrides: Vec<(&'static str, Value, Option<&'static str>)>,
    pub end: End,
    /// Amended after the visit was finished, a day later: (item, value, reason).
    pub amendments: Vec<(&'static str, Value, &'static str)>,
    /// Files attached right after an item's answer: (item, name, bytes), each copied into
    /// the data folder's evidence as sitecheck copies it.
    pub photos: Vec<(&'static str, &'static str, Vec<u8>)>,
}

impl VisitSpec {
    pub fn new(
        n: u64,
        checklist: &'static str,
        technician: &'static str,
        start: &'static str,
    ) -> VisitSpec {
        VisitSpec {
            n,
            checklist,
            technician,
            start,
            work_order: "WO-2026-0000",
            customer: "王女士",
            gap_s: 30,
            overrides: Vec::new(),
            end: End::Finished,
            amendments: Vec::new(),
            photos: Vec::new(),
        }
    }
}

/// A visit as written: its id, log file and the hash of its last line.
#[derive(Clone, Debug)]
pub struct Written {
    pub id: String,
    pub path: PathBuf,
    pub last_hash: String,
    /// The hash of its last line before any amendment (what a review made then saw).
    pub finished_hash: String,
}

fn parse_at(at: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(at).unwrap()
}

fn format_at(at: DateTime<FixedOffset>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string()
}

/// A passing value for an item, as the bundled checklists define passing.
fn passing(kind: &ItemKind) -> Value {
    match kind {
        ItemKind::Check => json!("done"),
        ItemKind::PassFail => json!("pass"),
        ItemKind::YesNo {
            expect: Some(YesNo::No),
        } => json!("no"),
        ItemKind::YesNo { .. } => json!("yes"),
        ItemKind::Number { min, max, .. } => match (min, max) {
            (Some(lo), Some(hi)) => json!(((lo + hi) / 2.0).round() as i64),
            (Some(lo), None) => json!(*lo as i64),
            (None, Some(hi)) => json!(*hi as i64),
            (None, None) => json!(1),
        },
        ItemKind::Choice { options } => {
            json!(options.iter().find(|o| !o.fail).map(|o| o.id.clone()))
        }
        ItemKind::MultiChoice { options } => {
            json!([options.iter().find(|o| !o.fail).map(|o| o.id.clone())])
        }
        ItemKind::Rating { scale, .. } => json!(scale),
        ItemKind::Text { .. } => json!("SN-20261122"),
        ItemKind::SignOff { .. } => json!("Wang Fang"),
    }
}

/// Header fields that satisfy each bundled checklist.
fn fields(checklist: &Checklist, spec: &VisitSpec) -> Map<String, Value> {
    let all = json!({
        "work_order": spec.work_order,
        "customer": spec.customer,
        "phone": "+86 138 0013 8000",
        "address": "上海市徐汇区漕溪北路 88 号",
        "appointment": "2025-11-22 14:30",
        "visit_type": "new_install",
        "service_mode": "home",
    });
    let Value::Object(all) = all else {
        unreachable!()
    };
    all.into_iter()
        .filter(|(k, _)| checklist.visit_fields.iter().any(|f| f.id == *k))
        .collect()
}

/// Appends sealed events to a log being built.
struct Log {
    lines: Vec<String>,
    prev: String,
    start: DateTime<FixedOffset>,
}

impl Log {
    fn push(&mut self, ms: u64, kind: EventKind) {
        let seq = self.lines.len() as u64;
        let at = format_at(self.start + Duration::milliseconds(ms as i64));
        let (event, line) = Event::seal(&self.prev, seq, at, ms, kind).unwrap();
        self.prev = event.hash;
        self.lines.push(line);
    }
}

/// Writes one visit log into `data`, as sitecheck would have.
pub fn write_visit(data: &Path, spec: &VisitSpec) -> Written {
    let checklist = checklist(spec.checklist);
    let start = parse_at(spec.start);
    let ulid = ulid::Ulid::from_parts(start.timestamp_millis() as u64, u128::from(spec.n));
    let id = ulid.to_string();
    let mut log = Log {
        lines: Vec::new(),
        prev: String::new(),
        start,
    };
    log.push(
        0,
        EventKind::Started {
            visit: id.clone(),
            info: StartInfo {
                technician: spec.technician.to_owned(),
                host: format!("tb-{:04}", 40 + spec.n),
                app: "sitecheck 0.1.0".to_owned(),
                lang: "zh-CN".to_owned(),
                checklist: ChecklistRef {
                    id: checklist.id.clone(),
                    version: checklist.version.clone(),
                    sha256: checklist.sha256.clone(),
                    source: checklist.source.clone(),
                },
                fields: fields(&checklist, spec),
            },
        },
    );
    let mut answers = Answers::new();
    let mut ms = 20_000;
    let stop = match spec.end {
        End::Open(n) => n,
        End::Abandoned(_) => 3,
        End::Finished => usize::MAX,
    };
    let mut given = 0;
    while given < stop {
        let eval = evaluate(&checklist, &answers);
        let next = checklist
            .items()
            .zip(&eval.items)
            .find(|((_, item), status)| status.visible && !answers.contains_key(&item.id))
            .map(|((_, item), _)| item.clone());
        let Some(item) = next else { break };
        let (value, note) = match spec.overrides.iter().find(|(id, _, _)| *id == item.id) {
            Some((_, value, note)) => (value.clone(), note.map(str::to_owned)),
            None => (
                passing(&item.kind),
                (item.note == NotePolicy::Always).then(|| "ok".to_owned()),
            ),
        };
        ms += spec.gap_s * 1000;
        let parsed = AnswerValue::from_json(&item, &value).unwrap();
        answers.insert(
            item.id.clone(),
            ItemState {
                value: Some(parsed),
                note: note.clone(),
                answered_at: None,
                ms: Some(ms),
                evidence: Vec::new(),
            },
        );
        log.push(
            ms,
            EventKind::Answered {
                item: item.id.clone(),
                value,
                note,
            },
        );
        for (_, name, bytes) in spec.photos.iter().filter(|(id, _, _)| *id == item.id) {
            let source = data.join(name);
            std::fs::create_dir_all(data).unwrap();
            std::fs::write(&source, bytes).unwrap();
            let stored = sitecheck::store::evidence::copy_in(data, &source, u64::MAX).unwrap();
            std::fs::remove_file(&source).unwrap();
            ms += 1000;
            log.push(
                ms,
                EventKind::Attached {
                    item: item.id.clone(),
                    sha256: stored.sha256,
                    size: stored.size,
                    media_type: stored.media_type,
                    name: stored.name,
                    reason: None,
                    technician: None,
                    host: None,
                },
            );
        }
        given += 1;
    }
    for (id, _, _) in &spec.overrides {
        assert!(answers.contains_key(*id), "{id} was not answered");
    }
    ms += 60_000;
    match spec.end {
        End::Open(_) => {}
        End::Abandoned(reason) => log.push(
            ms,
            EventKind::Abandoned {
                reason: reason.to_owned(),
            },
        ),
        End::Finished => {
            let eval = evaluate(&checklist, &answers);
            log.push(
                ms,
                EventKind::Finished {
                    summary: Summary {
                        score: eval.score.map(|s| (s * 10_000.0).round() / 10_000.0),
                        result: eval.result.name().to_owned(),
                        passed: eval.passed as u32,
                        failed: eval.failed as u32,
                        na: eval.na as u32,
                        missing: eval.missing_count() as u32,
                    },
                },
            );
        }
    }
    let finished_hash = log.prev.clone();
    for (item, value, reason) in &spec.amendments {
        ms += 86_400_000;
        log.push(
            ms,
            EventKind::Amended {
                item: Some((*item).to_owned()),
                value: value.clone(),
                note: None,
                reason: (*reason).to_owned(),
                technician: Some(spec.technician.to_owned()),
                host: Some(format!("tb-{:04}", 40 + spec.n)),
            },
        );
    }
    let dir = data.join("visits").join(start.format("%Y-%m").to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{id}.jsonl"));
    let mut text = log.lines.join("\n");
    text.push('\n');
    std::fs::write(&path, text).unwrap();
    Written {
        id,
        path,
        last_hash: log.prev,
        finished_hash,
    }
}

/// A review line to write: (at, visit hash, reviewer, verdict, comment, item).
pub type ReviewLine<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, Option<&'a str>);

/// Appends review lines with fixed times to `reviews/<visit>.jsonl`, chained like
/// sitecheck writes them: (at, visit hash, reviewer, verdict, comment, item).
pub fn write_reviews(data: &Path, visit: &str, reviews: &[ReviewLine]) {
    let dir = data.join("reviews");
    std::fs::create_dir_all(&dir).unwrap();
    let mut prev = String::new();
    let mut text = String::new();
    for (seq, (at, hash, reviewer, verdict, comment, item)) in reviews.iter().enumerate() {
        let mut object = Map::new();
        object.insert("seq".into(), json!(seq));
        object.insert("event".into(), json!("review"));
        object.insert("at".into(), json!(at));
        object.insert("visit".into(), json!(visit));
        object.insert("visit_hash".into(), json!(hash));
        object.insert("reviewer".into(), json!(reviewer));
        object.insert("verdict".into(), json!(verdict));
        object.insert("comment".into(), json!(comment));
        if let Some(item) = item {
            object.insert("item".into(), json!(item));
        }
        let sealed = chain::seal(&prev, &Value::Object(object).to_string()).unwrap();
        prev = sealed.hash;
        text.push_str(&sealed.line);
        text.push('\n');
    }
    std::fs::write(dir.join(format!("{visit}.jsonl")), text).unwrap();
}

/// The visits of the small store, by what they show.
pub struct Store {
    pub dir: tempfile::TempDir,
    pub approved: Written,
    pub failed: Written,
    pub rushed: Written,
    pub open: Written,
    pub abandoned: Written,
    pub amended: Written,
    pub hostile: Written,
    pub damaged: Written,
}

impl Store {
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
}

/// Eight visits over the three bundled checklists: approved, failed and flagged for
/// follow-up, rushed, open, abandoned, amended after a follow-up (the review outdated),
/// one with escape sequences in its texts and rejected, and one altered after the fact.
pub fn small_store() -> Store {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let approved = write_visit(
        &data,
        &VisitSpec {
            work_order: "WO-2026-0101",
            gap_s: 40,
            ..VisitSpec::new(
                1,
                "appliance-install",
                "zhang.san",
                "2025-11-16T09:00:00.000+08:00",
            )
        },
    );
    write_reviews(
        &data,
        &approved.id,
        &[(
            "2025-11-24T10:00:00.000+08:00",
            &approved.last_hash,
            "li.si",
            "approved",
            "",
            None,
        )],
    );
    let failed = write_visit(
        &data,
        &VisitSpec {
            work_order: "WO-2026-0102",
            customer: "Mr Smith",
            overrides: vec![
                ("badge", json!("fail"), Some("badge left in the van")),
                (
                    "drank_water",
                    json!("yes"),
                    Some("customer insisted / 顾客坚持"),
                ),
            ],
            ..VisitSpec::new(2, "haier-12345", "li.si", "2025-11-17T10:30:00.000+08:00")
        },
    );
    write_reviews(
        &data,
        &failed.id,
        &[
            (
                "2025-11-24T10:05:00.000+08:00",
                &failed.last_hash,
                "li.si",
                "follow_up",
                "show the badge at the door, every time",
                Some("badge"),
            ),
            (
                "2025-11-24T10:06:00.000+08:00",
                &failed.last_hash,
                "li.si",
                "follow_up",
                "two rules broken: talk to the customer again",
                None,
            ),
        ],
    );
    let rushed = write_visit(
        &data,
        &VisitSpec {
            work_order: "WO-2026-0103",
            gap_s: 1,
            ..VisitSpec::new(3, "tcl-8s", "wang.wu", "2025-11-18T14:00:00.000+08:00")
        },
    );
    let open = write_visit(
        &data,
        &VisitSpec {
            work_order: "WO-2026-0104",
            end: End::Open(5),
            ..VisitSpec::new(
                4,
                "haier-12345",
                "zhang.san",
                "2025-11-19T08:15:00.000+08:00",
            )
        },
    );
    let abandoned = write_visit(
        &data,
        &VisitSpec {
            work_order: "WO-2026-0105",
            end: End::Abandoned("customer not at home / 顾客不在家"),
            ..VisitSpec::new(
                5,
                "appliance-install",
                "chen.qi",
                "2025-11-20T16:45:00.000+08:00",
            )
        },
    );
    let amended = write_visit(
        &data,
        &VisitSpec {
            work_order: "WO-2026-0106",
            overrides: vec![("satisfaction", json!(3), Some("waited too long"))],
            amendments: vec![(
                "satisfaction",
                json!(4),
                "customer called back, satisfied after all",
            )],
            ..VisitSpec::new(6, "tcl-8s", "li.si", "2025-11-23T11:00:00.000+08:00")
        },
    );
    write_reviews(
        &data,
        &amended.id,
        &[(
            "2025-11-23T18:00:00.000+08:00",
            &amended.finished_hash,
            "li.si",
            "follow_up",
            "call the customer about the rating",
            Some("satisfaction"),
        )],
    );
    let hostile = write_visit(
        &data,
        &VisitSpec {
            work_order: "WO-0107\u{1b}[31m",
            customer: "\u{1b}]0;pwned\u{7}Evil",
            overrides: vec![("badge", json!("pass"), Some("\u{1b}[2Jwiped\u{1b}[H"))],
            ..VisitSpec::new(7, "haier-12345", "wang.wu", "2025-11-24T09:30:00.000+08:00")
        },
    );
    write_reviews(
        &data,
        &hostile.id,
        &[(
            "2025-11-25T09:00:00.000+08:00",
            &hostile.last_hash,
            "zhou.min",
            "rejected",
            "notes look copied\u{1b}[5m",
            None,
        )],
    );
    let damaged = write_visit(
        &data,
        &VisitSpec {
            work_order: "WO-2026-0108",
            ..VisitSpec::new(
                8,
                "appliance-install",
                "zhao.liu",
                "2025-11-25T13:20:00.000+08:00",
            )
        },
    );
    // Someone changed an answer in place, without the chain.
    let text = std::fs::read_to_string(&damaged.path).unwrap();
    let altered = text.replacen("\"value\":\"pass\"", "\"value\":\"fail\"", 1);
    assert_ne!(text, altered);
    std::fs::write(&damaged.path, altered).unwrap();
    Store {
        dir,
        approved,
        failed,
        rushed,
        open,
        abandoned,
        amended,
        hostile,
        damaged,
    }
}

/// The review screen over `data`, as `sitecheck review` opens it (without the cache, so
/// the test folder holds only what the test wrote).
pub fn screen(data: &Path, lang: Lang, reviewer: Option<&str>) -> ReviewScreen {
    screen_with(data, lang, reviewer, Theme::new(true))
}

pub fn screen_with(data: &Path, lang: Lang, reviewer: Option<&str>, theme: Theme) -> ReviewScreen {
    let store = open_store(
        &[data.to_path_buf()],
        &OpenOptions {
            thresholds: RushedThresholds::default(),
            use_cache: false,
        },
    );
    screen_of(store, lang, reviewer, theme)
}

/// The review screen over a store already opened.
pub fn screen_of(
    store: sitecheck::store::index::open::Store,
    lang: Lang,
    reviewer: Option<&str>,
    theme: Theme,
) -> ReviewScreen {
    let source = sitecheck::store::file_store::FileStore::new(
        store.data_dirs.clone(),
        sitecheck::store::index::open::OpenOptions::default(),
    );
    ReviewScreen::new(
        store,
        Box::new(source),
        ReviewContext {
            lang,
            theme,
            reviewer: reviewer.map(str::to_owned),
            thresholds: RushedThresholds::default(),
            config: Config::default(),
            config_path: None,
        },
    )
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn ch(c: char) -> KeyEvent {
    let modifiers = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), modifiers)
}

pub fn type_text(screen: &mut ReviewScreen, text: &str) {
    for c in text.chars() {
        screen.handle_key(ch(c));
    }
}

pub fn draw(screen: &mut ReviewScreen, width: u16, height: u16) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| screen.draw(frame)).unwrap();
    terminal.backend().clone()
}

/// The screen's text, one string a row, wide characters once.
pub fn screen_text(backend: &TestBackend) -> String {
    let buffer = backend.buffer();
    let width = usize::from(buffer.area.width);
    buffer
        .content
        .chunks(width)
        .map(|cells| {
            let mut row = String::new();
            let mut skip = 0;
            for cell in cells {
                if skip == 0 {
                    row.push_str(cell.symbol());
                }
                skip = skip
                    .max(unicode_width::UnicodeWidthStr::width(cell.symbol()))
                    .saturating_sub(1);
            }
            row
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Moves the list's cursor to a visit by id, with the real keys (Home, then Down).
pub fn select(screen: &mut ReviewScreen, id: &str) {
    screen.handle_key(key(KeyCode::Home));
    for _ in 0..screen.rows.len() {
        if screen.selected_visit().map(|v| v.id.as_str()) == Some(id) {
            return;
        }
        screen.handle_key(key(KeyCode::Down));
    }
    panic!("visit {id} is not in the list");
}

/// The ids of the visits listed, top to bottom.
pub fn listed(screen: &ReviewScreen) -> Vec<String> {
    (0..screen.rows.len())
        .map(|n| {
            screen
                .rows
                .visit(&screen.store.visits, n)
                .unwrap()
                .id
                .clone()
        })
        .collect()
}
