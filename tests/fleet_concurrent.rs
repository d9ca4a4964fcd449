//! Many imports at once (SPEC section 11): eight processes import overlapping and
//! conflicting folders into one new database — nothing is lost, every log held is one that
//! came in whole, every conflicting copy is recorded once, and the ledger stays one chain.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod gen_support;
mod pg_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pg_support::{count, run};

fn logs(data: &Path) -> Vec<PathBuf> {
    let mut logs = gen_support::walk(&data.join("visits"));
    logs.sort();
    logs
}

/// Copies the visit logs `pick` chooses into a new store `to`, as `change` makes them.
fn derive(data: &Path, to: &Path, pick: impl Fn(usize) -> bool, change: impl Fn(&str) -> String) {
    std::fs::create_dir_all(to.join("visits")).unwrap();
    for (i, log) in logs(data).into_iter().enumerate() {
        if pick(i) {
            let target = to.join(log.strip_prefix(data).unwrap());
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, change(&std::fs::read_to_string(&log).unwrap())).unwrap();
        }
    }
}

/// The log up to its first `pass` answer, changed from `from` to `to`, chained afresh.
fn conflicting(text: &str, (from, to): (&str, &str)) -> String {
    use sitecheck::log::chain;
    let mut out = String::new();
    let mut prev = String::new();
    for line in text.lines() {
        let split = chain::split(line).unwrap();
        let changed =
            line.contains("\"event\":\"answered\"") && line.contains("\"value\":\"pass\"");
        let body = if changed {
            split.body().replacen(from, to, 1)
        } else {
            split.body()
        };
        let sealed = chain::seal(&prev, &body).unwrap();
        out.push_str(&sealed.line);
        out.push('\n');
        prev = sealed.hash;
        if changed {
            return out;
        }
    }
    out
}

/// Two other answers to the same item: failed, or passed with a note.
const FAIL: (&str, &str) = ("\"value\":\"pass\"", "\"value\":\"fail\"");
const NOTE: (&str, &str) = ("\"note\":null", "\"note\":\"seen twice\"");

fn sha(text: &str) -> String {
    use sha2::Digest;
    sitecheck::log::chain::to_hex(&sha2::Sha256::digest(text.as_bytes()))
}

#[test]
fn eight_imports_at_once_lose_nothing_and_record_each_conflict_once() {
    let pg = pg_or_skip!();
    let url = pg.create_db("fleet");
    let dir = tempfile::tempdir().unwrap();
    let all = dir.path().join("all");
    gen_support::generate(120, 21, &all);
    let originals = logs(&all);
    // Visits 0, 10, 20 ... come in three versions: the original and two conflicting ones.
    let contested = |i: usize| i.is_multiple_of(10);
    let half = dir.path().join("half");
    derive(&all, &half, |i| i.is_multiple_of(2), str::to_owned);
    let early = dir.path().join("early");
    derive(
        &all,
        &early,
        |i| i.is_multiple_of(3) && !contested(i),
        |t| {
            let n = t.lines().count().div_ceil(2);
            t.lines().take(n).map(|l| format!("{l}\n")).collect()
        },
    );
    let fail = dir.path().join("fail");
    derive(&all, &fail, contested, |t| conflicting(t, FAIL));
    let na = dir.path().join("na");
    derive(&all, &na, contested, |t| conflicting(t, NOTE));

    let folders = [
        vec![&all],
        vec![&half],
        vec![&early],
        vec![&fail],
        vec![&na],
        vec![&early, &all],
        vec![&half, &fail],
        vec![&na, &half],
    ];
    let children: Vec<_> = folders
        .iter()
        .map(|dirs| {
            std::process::Command::new(env!("CARGO_BIN_EXE_sitecheck"))
                .args(["--store", &url, "import"])
                .args(dirs.iter().map(|d| d.as_os_str()))
                .env("SITECHECK_CONFIG", dir.path().join("none.yaml"))
                .env_remove("SITECHECK_STORE")
                .env("LANG", "C")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "an import failed: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }

    let mut client = pg.client("fleet");
    assert_eq!(count(&mut client, "SELECT count(*) FROM visits"), 120);
    // Every log held is, byte for byte, one of the versions that came in whole.
    let held: BTreeMap<String, String> = client
        .query(
            "SELECT v.id, string_agg(e.line || E'\\n', '' ORDER BY e.seq)
             FROM visits v JOIN events e ON e.visit = v.id GROUP BY v.id",
            &[],
        )
        .unwrap()
        .into_iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    let mut conflicts: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in client
        .query(
            "SELECT visit, incoming FROM conflicts WHERE kind = 'visit'",
            &[],
        )
        .unwrap()
    {
        assert!(
            conflicts.entry(row.get(0)).or_default().insert(row.get(1)),
            "a conflict recorded twice"
        );
    }
    for (i, log) in originals.iter().enumerate() {
        let id = log.file_stem().unwrap().to_str().unwrap();
        let text = std::fs::read_to_string(log).unwrap();
        let got = held.get(id).expect("every visit is there");
        if contested(i) {
            let versions: BTreeSet<String> = [
                text.clone(),
                conflicting(&text, FAIL),
                conflicting(&text, NOTE),
            ]
            .into_iter()
            .collect();
            assert!(versions.contains(got), "{id}: held a log nobody sent");
            // The two versions not held were each refused, and recorded once. (An early
            // half of the original is not a conflict: it is older.)
            let others: BTreeSet<String> = versions
                .iter()
                .filter(|v| *v != got)
                .map(|v| sha(v))
                .collect();
            assert_eq!(conflicts.get(id), Some(&others), "{id}");
        } else {
            assert_eq!(got, &text, "{id}: the whole log is held");
            assert!(!conflicts.contains_key(id), "{id}: no conflict");
        }
    }
    // The ledger is one chain (each line's previous hash the line before: a foreign key),
    // with each copy taken once.
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM imports"),
        count(
            &mut client,
            "SELECT count(*) FROM (SELECT DISTINCT visit, lines, last_hash FROM imports) d"
        )
    );
    assert_eq!(
        count(&mut client, "SELECT max(seq) + 1 FROM imports"),
        count(&mut client, "SELECT count(*) FROM imports")
    );
    // `verify` finds the ledger whole (the reviews of a contested visit may be of a version
    // not held: those it reports, as it would on files).
    let (code, out, err) = run(&["--store", &url], &["verify"]);
    assert!(matches!(code, 0 | 1), "{out}{err}");
    assert!(!out.contains("/imports"), "{out}");
}
