//! One integrity verdict (SPEC section 5): a corpus of damaged and hostile logs, written by
//! hand, goes through every reader — `verify`, `list` (read whole, then from its summary
//! cache), `show`, `stats`, `export` — and every reader reaches the same verdict on every
//! file: clean, torn, or damaged (from the same first line).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use store_support::{CHECKLIST, HandLog, IDS, Visit, q, sha256_hex, sitecheck};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Clean,
    Torn,
    Damaged,
}

/// A `started` body for `id` with this checklist `sha256` and `source`.
fn started(id: &str, sha256: &str, source: &str) -> String {
    format!(
        r#"{{"seq":0,"event":"started","at":"2026-11-22T10:00:00.000+08:00","ms":0,"visit":{},"technician":"zhang.san","host":"tb-0001","app":"hand","lang":"en","checklist":{{"id":"mini","version":"1","sha256":"{sha256}","source":{}}},"fields":{{"work_order":"WO-1"}}}}"#,
        q(id),
        q(source)
    )
}

fn answered(seq: usize, item: &str, value: &str, extra: &str) -> String {
    format!(
        r#"{{"seq":{seq},"event":"answered","at":"2026-11-22T10:00:{seq:02}.000+08:00","ms":{},"item":{},"value":{value},"note":null{extra}}}"#,
        seq * 1000,
        q(item)
    )
}

/// A chained log of `started` + the bodies given.
fn chained(id: &str, bodies: &[String]) -> String {
    let mut log = HandLog::default();
    log.push(&started(id, &sha256_hex(CHECKLIST.as_bytes()), CHECKLIST));
    for body in bodies {
        log.push(body);
    }
    log.text()
}

fn write(data: &Path, name_id: &str, text: &str) {
    let dir = data.join("visits").join("2026-11");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name_id}.jsonl")), text).unwrap();
}

/// The corpus: (file id, what it is, the verdict every reader must reach).
fn corpus(data: &Path) -> Vec<(String, &'static str, Verdict)> {
    let mut cases = Vec::new();
    let ids: Vec<String> = (1..=40)
        .map(|n| format!("01JD00000000000000000{n:05}"))
        .collect();
    let mut next = ids.into_iter();
    let mut add = |what: &'static str, verdict: Verdict, text: &dyn Fn(&str) -> String| {
        let id = next.next().unwrap();
        write(data, &id, &text(&id));
        cases.push((id, what, verdict));
    };
    let good = |id: &str| {
        let mut v = Visit::finished(id, "2026-11-22", "zhang.san", 5);
        v.id = id.to_owned();
        v.log.text()
    };
    add("a clean finished visit", Verdict::Clean, &good);
    add("a torn last line", Verdict::Torn, &|id| {
        let text = chained(id, &[answered(1, "badge", "\"pass\"", "")]);
        format!("{text}{{\"seq\":2,\"event\":\"answ")
    });
    add("a value altered, its hash kept", Verdict::Damaged, &|id| {
        chained(id, &[answered(1, "badge", "\"pass\"", "")]).replace("\"pass\"", "\"fail\"")
    });
    add("a log copied under another id", Verdict::Damaged, &|_| {
        chained(IDS[5], &[answered(1, "badge", "\"pass\"", "")])
    });
    add(
        "a checklist sha256 that does not match its source",
        Verdict::Damaged,
        &|id| {
            let mut log = HandLog::default();
            log.push(&started(id, &"0".repeat(64), CHECKLIST));
            log.push(&answered(1, "badge", "\"pass\"", ""));
            log.text()
        },
    );
    add(
        "a checklist source that does not load",
        Verdict::Damaged,
        &|id| {
            let source = "sitecheck: 1\nid: mini\nitems: [";
            let mut log = HandLog::default();
            log.push(&started(id, &sha256_hex(source.as_bytes()), source));
            log.text()
        },
    );
    add("a member nested deeper than 128", Verdict::Damaged, &|id| {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        chained(
            id,
            &[answered(1, "badge", "\"pass\"", &format!(",\"x\":{deep}"))],
        )
    });
    add("a number out of range (1e999)", Verdict::Damaged, &|id| {
        chained(id, &[answered(1, "badge", "\"pass\"", ",\"x\":1e999")])
    });
    add("a lone surrogate in a string", Verdict::Damaged, &|id| {
        chained(
            id,
            &[answered(1, "badge", "\"pass\"", ",\"x\":\"\\ud800\"")],
        )
    });
    add("a line over 1 MiB", Verdict::Damaged, &|id| {
        let note = "x".repeat(1_100_000);
        chained(
            id,
            &[answered(
                1,
                "badge",
                "\"pass\"",
                &format!(",\"y\":{}", q(&note)),
            )],
        )
    });
    add("two lines swapped", Verdict::Damaged, &|id| {
        let text = chained(
            id,
            &[
                answered(1, "badge", "\"pass\"", ""),
                answered(2, "clean", "\"pass\"", ""),
            ],
        );
        let lines: Vec<&str> = text.lines().collect();
        format!("{}\n{}\n{}\n", lines[0], lines[2], lines[1])
    });
    add("an answer after finished", Verdict::Damaged, &|id| {
        let mut v = Visit::finished(id, "2026-11-22", "zhang.san", 5);
        v.answer(200, "badge", "\"fail\"", None);
        v.log.text()
    });
    add(
        "not a visit log (no started line)",
        Verdict::Damaged,
        &|id| {
            let mut log = HandLog::default();
            log.push(&answered(0, "badge", "\"pass\"", ""));
            let _ = id;
            log.text()
        },
    );
    add(
        "an answer the checklist cannot take",
        Verdict::Damaged,
        &|id| chained(id, &[answered(1, "satisfaction", "\"very\"", "")]),
    );
    cases
}

/// What `verify` says of each visit (by the id in its file name).
fn verify_verdicts(data: &Path, ids: &[String]) -> BTreeMap<String, (Verdict, Option<usize>)> {
    let mut out = BTreeMap::new();
    for id in ids {
        let run = sitecheck(&[data], &["verify", id]);
        let error_line = run
            .stdout
            .lines()
            .find(|l| l.contains(": error: "))
            .and_then(|l| l.split(':').nth(1))
            .and_then(|n| n.parse::<usize>().ok());
        let verdict = match run.code {
            0 if run.stdout.contains("warning:") => Verdict::Torn,
            0 => Verdict::Clean,
            1 => Verdict::Damaged,
            other => panic!("verify {id}: exit {other}: {}{}", run.stdout, run.stderr),
        };
        out.insert(id.clone(), (verdict, error_line));
    }
    out
}

fn state_of(name: &str) -> Verdict {
    match name {
        "ok" => Verdict::Clean,
        "torn" => Verdict::Torn,
        "damaged" => Verdict::Damaged,
        other => panic!("integrity state {other}"),
    }
}

/// What `list --format json` says: the state and the first problem's line.
fn list_verdicts(data: &Path) -> BTreeMap<String, (Verdict, Option<usize>)> {
    let run = sitecheck(&[data], &["list", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let visits: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    visits
        .iter()
        .map(|v| {
            let file = v["file"]
                .as_str()
                .or(v["visit"].as_str())
                .unwrap()
                .to_owned();
            let integrity = &v["integrity"];
            let line = integrity["problems"]
                .as_array()
                .and_then(|p| p.first())
                .and_then(|p| p["line"].as_u64())
                .map(|l| l as usize);
            (file, (state_of(integrity["state"].as_str().unwrap()), line))
        })
        .collect()
}

#[test]
fn every_reader_reaches_the_same_verdict_on_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let cases = corpus(data);
    let ids: Vec<String> = cases.iter().map(|(id, _, _)| id.clone()).collect();

    let verify = verify_verdicts(data, &ids);
    let listed_whole = list_verdicts(data);
    let listed_cached = list_verdicts(data);
    assert_eq!(
        listed_whole, listed_cached,
        "the cache reads as the logs do"
    );

    let mut wrong = Vec::new();
    for (id, what, expected) in &cases {
        let (by_verify, verify_line) = verify[id];
        let Some(&(by_list, list_line)) = listed_whole.get(id) else {
            wrong.push(format!("{what}: not in list at all"));
            continue;
        };
        if by_verify != *expected || by_list != *expected {
            wrong.push(format!(
                "{what}: expected {expected:?}, verify says {by_verify:?}, list says {by_list:?}"
            ));
        } else if *expected == Verdict::Damaged && verify_line != list_line {
            wrong.push(format!(
                "{what}: verify names line {verify_line:?}, list line {list_line:?}"
            ));
        }
        // show: the same verdict, in its JSON.
        let shown = sitecheck(&[data], &["show", id, "--format", "json"]);
        if *expected == Verdict::Damaged {
            let said = serde_json::from_str::<Value>(&shown.stdout)
                .ok()
                .and_then(|v| v["integrity"]["state"].as_str().map(str::to_owned));
            if shown.code == 0 && said.as_deref() != Some("damaged") {
                wrong.push(format!("{what}: show says {said:?} (exit {})", shown.code));
            }
        }
    }
    assert!(wrong.is_empty(), "readers disagree:\n{}", wrong.join("\n"));

    // stats count the one clean finished visit, leave the damaged out, and say so.
    let stats = sitecheck(&[data], &["stats"]);
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    assert!(stats.stdout.contains("over 1 visit"), "{}", stats.stdout);
    assert!(stats.stdout.contains("left out"), "{}", stats.stdout);
    // export: one record per file, never a visit twice.
    let jsonl = sitecheck(&[data], &["export", "--format", "jsonl"]);
    assert_eq!(jsonl.code, 0, "{}", jsonl.stderr);
    let visits: Vec<Value> = jsonl
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut seen = std::collections::HashSet::new();
    for v in &visits {
        let key = v["file"]
            .as_str()
            .or(v["visit"].as_str())
            .unwrap()
            .to_owned();
        assert!(seen.insert(key.clone()), "{key} exported twice");
    }
}

/// A review log altered after it was written (a rejection turned into an approval): verify
/// names it, and no reader believes the altered verdict.
#[test]
fn an_altered_review_is_believed_by_no_reader() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let visit = Visit::finished(IDS[0], "2026-11-22", "zhang.san", 5);
    visit.write(data);
    let hash = visit.log.last_hash();
    let path =
        store_support::write_reviews(data, IDS[0], &[(&hash, "rejected", "no badge shown", None)]);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"rejected\"", "\"approved\"")).unwrap();

    let verify = sitecheck(&[data], &["verify"]);
    assert_eq!(verify.code, 1, "{}", verify.stdout);
    assert!(
        verify.stdout.contains("reviews of visit"),
        "{}",
        verify.stdout
    );
    let listed = sitecheck(&[data], &["list", "--format", "json"]);
    let visits: Vec<Value> = serde_json::from_str(&listed.stdout).unwrap();
    assert_ne!(visits[0]["verdict"], "approved", "{}", listed.stdout);
    let approved = sitecheck(&[data], &["list", "--verdict", "approved"]);
    assert!(!approved.stdout.contains(IDS[0]), "{}", approved.stdout);
    let csv = sitecheck(&[data], &["export", "--format", "csv", "--rows", "visits"]);
    assert!(!csv.stdout.contains("approved"), "{}", csv.stdout);
}

/// Resume reads a log the same way: it carries on a clean or torn one, and refuses to add
/// anything to a log every other reader calls damaged.
#[test]
fn resume_reaches_the_same_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    for (id, what, verdict) in corpus(data) {
        let path = data
            .join("visits")
            .join("2026-11")
            .join(format!("{id}.jsonl"));
        let before = std::fs::read(&path).unwrap();
        let resumed = sitecheck::store::session::Session::resume(data, &path);
        match verdict {
            Verdict::Damaged => {
                assert!(resumed.is_err(), "{what}: resumed a damaged log");
                assert_eq!(std::fs::read(&path).unwrap(), before, "{what}: written to");
            }
            Verdict::Clean | Verdict::Torn => {
                assert!(
                    resumed.is_ok(),
                    "{what}: {:?}",
                    resumed.err().map(|e| e.to_string())
                );
            }
        }
    }
}

/// A visit recorded with a checklist an earlier version accepted (a weight of 0, a huge
/// weight) still loads everywhere — nothing recorded becomes unreadable — while `lint`
/// refuses the same checklist for new visits.
#[test]
fn a_checklist_recorded_under_older_rules_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    for (n, weight) in [(1, "0"), (2, "1.7e308")] {
        let source = CHECKLIST.replace(
            "{ id: clean, prompt: Site cleaned, kind: pass_fail, allow_na: true }",
            &format!("{{ id: clean, prompt: Site cleaned, kind: pass_fail, allow_na: true, weight: {weight} }}"),
        );
        assert_ne!(source, CHECKLIST);
        let id = IDS[n];
        let mut log = HandLog::default();
        log.push(&started(id, &sha256_hex(source.as_bytes()), &source));
        log.push(&answered(1, "clean", "\"fail\"", ""));
        write(data, id, &log.text());
        let yaml = dir.path().join(format!("old-{n}.yaml"));
        std::fs::write(&yaml, &source).unwrap();
        let lint = sitecheck(&[data], &["lint", yaml.to_str().unwrap()]);
        assert_eq!(
            lint.code, 1,
            "lint refuses it for new visits: {}",
            lint.stdout
        );
    }
    let verify = sitecheck(&[data], &["verify"]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);
    for (file, (verdict, _)) in list_verdicts(data) {
        assert_eq!(verdict, Verdict::Clean, "{file}");
    }
    let listed = sitecheck(&[data], &["list", "--format", "json"]);
    assert!(!listed.stdout.contains("NaN"), "{}", listed.stdout);
}
