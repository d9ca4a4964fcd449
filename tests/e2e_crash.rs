//! End to end, in a real pseudo-terminal: a scripted visit killed with SIGKILL at 50
//! random moments. After every kill the log verifies, holds every event the screen had
//! shown as saved, and `resume` carries on from where the log says.
//!
//! The kill points come from a seeded generator; the seed is printed, and
//! `SITECHECK_E2E_SEED=<seed>` replays a run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::time::Instant;

use common::pty::{Pty, key};
use common::screen::{detail, saved_seq, start_of};
use common::site::{APPLIANCE_FIELDS, Site, stdout};
use serde_json::{Value, json};
use sitecheck::checklist::{Checklist, parse_str};
use sitecheck::log::read_log;
use sitecheck::store::read::load_visit;
use sitecheck::visit::{Status, VisitState, replay};

const KILLS: usize = 50;
const RUN_KEYS: &str =
    "↑↓ 1-9 answer  c note  e photo  ⌫ clear  Tab missing  s summary  ? help  q quit";
/// At most this many keys are sent between a start and its kill.
const MAX_KEYS_PER_RUN: u64 = 4;

/// How an item is answered.
enum Answer {
    /// One key that sets the answer.
    Key(&'static str),
    /// Enter, the characters, Enter: a number, text or signature.
    Typed(&'static str),
}

/// One item of the script: how it is answered, what the log must then say, and keys
/// that move on afterwards where the answer does not (multi_choice).
struct Step {
    item: &'static str,
    prompt: &'static str,
    answer: Answer,
    value: Value,
    note: Option<&'static str>,
    then: &'static [(&'static str, &'static str)],
    /// A photo is attached first, from the inbox (`e`, Enter): `evidence: always`.
    photo: bool,
}

fn step(item: &'static str, prompt: &'static str, answer: Answer, value: Value) -> Step {
    Step {
        item,
        prompt,
        answer,
        value,
        note: None,
        then: &[],
        photo: false,
    }
}

/// A washing machine installed on the floor: every required item, in order, with two
/// fails that need notes, a conditional number and a conditional section.
fn script() -> Vec<Step> {
    use Answer::{Key, Typed};
    vec![
        step(
            "badge",
            "Show your service ID badge",
            Key("p"),
            json!("pass"),
        ),
        Step {
            note: Some("traffic"),
            ..step(
                "arrived_on_time",
                "Did you arrive at the appointed",
                Key("n"),
                json!("no"),
            )
        },
        Step {
            note: Some("bus"),
            ..step(
                "minutes_late",
                "How many minutes late?",
                Typed("12"),
                json!(12),
            )
        },
        step(
            "shoe_covers",
            "Shoe covers on, drop cloth",
            Key("1"),
            json!("done"),
        ),
        step(
            "price_list",
            "Show the unified price list",
            Key("p"),
            json!("pass"),
        ),
        step(
            "appliance",
            "Appliance being installed",
            Key("2"),
            json!("washing_machine"),
        ),
        step("install_type", "Mounting", Key("2"), json!("floor")),
        step(
            "model_matches",
            "Does the model match the work",
            Key("y"),
            json!("yes"),
        ),
        step(
            "serial_number",
            "Serial number from the rating",
            Typed("SN-123456"),
            json!("SN-123456"),
        ),
        step(
            "supply_voltage",
            "Supply voltage at the socket",
            Typed("230"),
            json!(230),
        ),
        Step {
            then: &[("j", "New inlet hose, washers seated")],
            ..step(
                "site_issues",
                "Problems found on site",
                Key("1"),
                json!(["none"]),
            )
        },
        step(
            "inlet_hose",
            "New inlet hose, washers seated",
            Key("p"),
            json!("pass"),
        ),
        step(
            "transit_bolts",
            "Transit bolts removed",
            Key("1"),
            json!("done"),
        ),
        Step {
            photo: true,
            ..step(
                "power_on_test",
                "Power on and run a test",
                Key("p"),
                json!("pass"),
            )
        },
        Step {
            note: Some("kinked"),
            ..step(
                "drain_test",
                "Drain test: water drains",
                Key("f"),
                json!("fail"),
            )
        },
        step(
            "drain_cause",
            "Why did the drain test fail?",
            Key("1"),
            json!("hose_kinked"),
        ),
        step(
            "drain_retest",
            "Drain test again after putting",
            Key("p"),
            json!("pass"),
        ),
        Step {
            photo: true,
            ..step(
                "site_cleaned",
                "Site cleaned up, packaging",
                Key("p"),
                json!("pass"),
            )
        },
        step(
            "demo_explained",
            "Showed the customer how to use",
            Key("p"),
            json!("pass"),
        ),
        Step {
            then: &[
                ("j", "Customer's remarks"),
                ("j", "Ask the customer to rate"),
            ],
            ..step(
                "materials_charged",
                "Materials charged on this",
                Key("1"),
                json!(["none"]),
            )
        },
        step(
            "satisfaction",
            "Ask the customer to rate",
            Key("4"),
            json!(4),
        ),
        step(
            "customer_sign",
            "Customer signs to accept",
            Typed("LiSi"),
            json!("LiSi"),
        ),
    ]
}

/// What must be on the screen once a key has done its work.
#[derive(Clone, Debug)]
enum Expect {
    /// The next event is saved: `✓ saved #<next seq>`.
    Saved,
    Text(String),
    /// The item pane shows this item.
    At(&'static str),
}

#[derive(Clone, Debug)]
struct Action {
    /// Empty: nothing to send, only a check.
    keys: String,
    expect: Expect,
}

fn act(keys: &str, expect: Expect) -> Action {
    Action {
        keys: keys.to_owned(),
        expect,
    }
}

/// Types `text` one key at a time into an open editor.
fn type_text(actions: &mut Vec<Action>, text: &str) {
    let mut typed = String::new();
    for c in text.chars() {
        typed.push(c);
        actions.push(act(&c.to_string(), Expect::Text(format!("│{typed}"))));
    }
}

/// The visit as its log says now.
fn state_of(checklist: &Checklist, path: &Path) -> VisitState {
    let read = read_log(path).expect("read the log");
    replay(checklist, &read.events).expect("a visit log")
}

/// The keys still to send, from the visit's state (none yet: a new visit).
fn plan(visit: Option<&VisitState>) -> Vec<Action> {
    if visit.is_some_and(|v| matches!(v.status, Status::Finished { .. })) {
        return Vec::new();
    }
    let mut actions = Vec::new();
    for step in script() {
        let state = visit.and_then(|v| v.answers.get(step.item));
        let value = state.and_then(|s| s.value.as_ref()).map(|v| v.to_json());
        let note = state.and_then(|s| s.note.as_deref());
        let answered = value.as_ref() == Some(&step.value);
        let photo_missing = step.photo && state.is_none_or(|s| s.evidence.is_empty());
        if answered && step.note.is_none_or(|n| note == Some(n)) && !photo_missing {
            continue;
        }
        actions.push(act("", Expect::At(step.prompt)));
        if photo_missing {
            actions.push(act("e", Expect::Text("Attach a photo or file".into())));
            actions.push(act(key::ENTER, Expect::Saved));
            actions.push(act(key::ESC, Expect::At(step.prompt)));
        }
        if !answered {
            match step.answer {
                Answer::Key(k) => actions.push(act(k, Expect::Saved)),
                Answer::Typed(text) => {
                    actions.push(act(
                        key::ENTER,
                        Expect::Text("Enter save  Esc cancel".into()),
                    ));
                    type_text(&mut actions, text);
                    actions.push(act(key::ENTER, Expect::Saved));
                }
            }
        }
        if let Some(text) = step.note {
            if answered {
                // Answered before a kill, its note not yet saved: open the note by hand.
                actions.push(act("c", Expect::Text("┌ Note".into())));
            }
            // Otherwise the required note opens its editor by itself.
            type_text(&mut actions, text);
            actions.push(act(key::ENTER, Expect::Saved));
        }
        for (keys, prompt) in step.then {
            actions.push(act(keys, Expect::At(prompt)));
        }
    }
    actions.push(act(
        "s",
        Expect::Text("Enter finish  A abandon  Esc back".into()),
    ));
    actions.push(act(key::ENTER, Expect::Text("Finish this visit?".into())));
    actions.push(act("y", Expect::Saved));
    actions
}

/// splitmix64: small, seeded, good enough to pick kill points.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn seed() -> u64 {
    std::env::var("SITECHECK_E2E_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        })
}

/// Waits for what an action promises; returns the screen.
fn wait(pty: &Pty, expect: &Expect, next_seq: &mut u64) -> String {
    match expect {
        Expect::Saved => {
            let seq = *next_seq;
            *next_seq += 1;
            pty.wait_for(&format!("\"✓ saved #{seq}\""), |s| {
                saved_seq(s, "saved") == Some(seq)
            })
        }
        Expect::Text(text) => pty.wait_for_text(text),
        Expect::At(prompt) => {
            let start = start_of(prompt, 24);
            pty.wait_for(&format!("the item {prompt:?}"), |s| {
                detail(s).contains(&start)
            })
        }
    }
}

/// The seq of the log's last event.
fn last_seq(path: &Path) -> u64 {
    let read = read_log(path).unwrap();
    read.events.last().expect("a started event").seq
}

/// After a kill: the log verifies and holds every event the screen showed as saved.
fn check_after_kill(site: &Site, id: &str, path: &Path, shown: Option<u64>, context: &str) {
    let read = read_log(path).unwrap();
    assert!(
        read.problems.is_empty(),
        "{context}: problems {:?}",
        read.problems
    );
    for (i, event) in read.events.iter().enumerate() {
        assert_eq!(event.seq, i as u64, "{context}: seq of line {}", i + 1);
    }
    for pair in read.events.windows(2) {
        assert!(
            pair[1].ms >= pair[0].ms,
            "{context}: ms went down at seq {}",
            pair[1].seq
        );
    }
    if let Some(shown) = shown {
        let last = read.events.last().map_or(0, |e| e.seq);
        assert!(
            last >= shown,
            "{context}: the screen showed #{shown} as saved, the log ends at seq {last}"
        );
    }
    if let Some(torn) = &read.torn {
        // SIGKILL cannot cut a write in half, but a torn tail would only be a warning.
        println!("{context}: torn tail {torn:?}");
    }
    let verify = site.run(&["verify", id]);
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{context}: {}",
        stdout(&verify)
    );
}

fn start_args() -> Vec<String> {
    let mut args = vec!["run".to_owned(), "appliance-install".to_owned()];
    args.extend(Site::field_args(APPLIANCE_FIELDS));
    args
}

#[test]
fn killed_at_fifty_random_moments_the_visit_survives_and_resumes() {
    let seed = seed();
    println!("crash test seed {seed} (replay with SITECHECK_E2E_SEED={seed})");
    let mut rng = Rng(seed);
    let site = Site::new();
    // The photos the running unit and the cleaned site take (the inbox's newest file).
    site.photo_in_inbox("site.png", 60);
    // Parsed once: the checklist the visits record is the bundled one.
    let checklist = parse_str(include_str!("../checklists/appliance-install.yaml"))
        .checklist
        .expect("the bundled checklist");
    let began = Instant::now();
    // The visit being worked on (id, log) and the highest seq its screens showed as saved.
    let mut visit: Option<(String, std::path::PathBuf)> = None;
    let mut shown: Option<u64> = None;
    let mut finished_visits = 0;

    for kill in 1..=KILLS {
        let keys = rng.below(MAX_KEYS_PER_RUN + 1);
        let wait_last = rng.below(2) == 0;
        let kill_at_start = visit.is_some() && rng.below(8) == 0;
        let context = format!(
            "seed {seed}, kill {kill} ({}, {keys} keys{}{})",
            if visit.is_some() { "resume" } else { "run" },
            if wait_last {
                ", last one waited for"
            } else {
                ""
            },
            if kill_at_start {
                ", killed while starting"
            } else {
                ""
            }
        );
        println!("{context}");
        let started = Instant::now();

        let (mut pty, actions, mut next_seq) = match &visit {
            None => {
                let args = start_args();
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let pty = site.spawn(&args);
                (pty, plan(None), 1)
            }
            Some((id, path)) => {
                let pty = site.spawn(&["resume", id]);
                (pty, plan(Some(&state_of(&checklist, path))), 0)
            }
        };

        if !kill_at_start {
            // The run screen comes up (its footer is the last row drawn) ...
            pty.wait_for_text(RUN_KEYS);
            if let Some((_, path)) = &visit {
                // ... with `resumed` on disk before it.
                next_seq = last_seq(path) + 1;
            }
            let mut sent = 0;
            for action in &actions {
                if action.keys.is_empty() {
                    let screen = wait(&pty, &action.expect, &mut next_seq);
                    shown = shown.max(saved_seq(&screen, "saved"));
                    continue;
                }
                if sent == keys {
                    break;
                }
                pty.send(&action.keys);
                sent += 1;
                if sent == keys && !wait_last {
                    break;
                }
                let screen = wait(&pty, &action.expect, &mut next_seq);
                shown = shown.max(saved_seq(&screen, "saved"));
            }
            shown = shown.max(saved_seq(&pty.screen_text(), "saved"));
        }
        pty.kill_hard();

        let (id, path) = match &visit {
            Some(v) => v.clone(),
            None => site.visit_logs().pop().expect("the visit's log"),
        };
        check_after_kill(&site, &id, &path, shown, &context);
        println!("  checked after {} ms", started.elapsed().as_millis());
        if plan(Some(&state_of(&checklist, &path))).is_empty() {
            // Finished: the next start is a new visit.
            finished_visits += 1;
            visit = None;
            shown = None;
        } else {
            visit = Some((id, path));
        }
    }

    // No more kills: resume and go through to the end.
    if let Some((id, path)) = &visit {
        let mut pty = site.spawn(&["resume", id]);
        pty.wait_for_text(RUN_KEYS);
        let mut next_seq = last_seq(path) + 1;
        for action in plan(Some(&state_of(&checklist, path))) {
            pty.send(&action.keys);
            wait(&pty, &action.expect, &mut next_seq);
        }
        pty.send(key::ESC);
        pty.wait_for("the summary to close", |s| !s.contains("Failed items"));
        pty.send("q");
        assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());
        finished_visits += 1;
    }

    // Every visit ends finished with exactly the script's answers.
    let logs = site.visit_logs();
    assert_eq!(logs.len(), finished_visits, "seed {seed}");
    for (id, path) in &logs {
        let loaded = load_visit(path).unwrap();
        assert!(loaded.integrity.problems.is_empty(), "seed {seed}: {id}");
        assert!(
            matches!(loaded.state.status, Status::Finished { .. }),
            "seed {seed}: {id} is {:?}",
            loaded.state.status
        );
        for step in script() {
            let state = &loaded.state.answers[step.item];
            assert_eq!(
                state.value.as_ref().map(|v| v.to_json()),
                Some(step.value.clone()),
                "seed {seed}: {id} {}",
                step.item
            );
            if let Some(note) = step.note {
                assert_eq!(state.note.as_deref(), Some(note), "seed {seed}: {id}");
            }
        }
    }
    let verify = site.run(&["verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    println!(
        "{KILLS} kills over {} visits in {:.1} s",
        logs.len(),
        began.elapsed().as_secs_f64()
    );
}
