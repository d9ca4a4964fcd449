//! The differential test (SPEC section 11): one generated store — open, finished,
//! abandoned, amended and reviewed visits, some damaged by hand, one with a torn last line —
//! read as a data folder and, imported, as the fleet store: `list`, `show`, `stats --by`
//! every dimension, `export` every format and `verify` print the same.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod gen_support;
mod pg_support;

use pg_support::run;

use std::path::Path;

/// A torn last line on the first open visit (a power cut mid-write).
fn tear_one(data: &Path) -> String {
    let mut logs = gen_support::walk(&data.join("visits"));
    logs.sort();
    for log in logs {
        let text = std::fs::read_to_string(&log).unwrap();
        if !text.contains("\"event\":\"finished\"") && !text.contains("\"event\":\"abandoned\"") {
            std::fs::write(&log, format!("{text}{{\"seq\":99,\"event\":\"answ")).unwrap();
            return log.file_stem().unwrap().to_string_lossy().into_owned();
        }
    }
    panic!("no open visit to tear");
}

#[test]
fn a_folder_and_the_fleet_store_print_the_same() {
    let pg = pg_or_skip!();
    let url = pg.create_db("same");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    gen_support::generate(80, 7, &data);
    assert_eq!(gen_support::damage(&data, 3), 3);
    let torn = tear_one(&data);
    let data_s = data.display().to_string();

    let (code, out, err) = run(&["--store", &url], &["import", &data_s]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("80 new"), "{out}");
    assert!(out.contains("held as damaged"), "{out}");
    assert!(
        out.contains(" copied, "),
        "the generated photos come too: {out}"
    );

    let folder = ["--data-dir", data_s.as_str()];
    let fleet = ["--store", url.as_str()];
    let same = |args: &[&str]| {
        let (fc, fo, fe) = run(&folder, args);
        let (dc, d_out, de) = run(&fleet, args);
        // The store's own name differs (a folder, a URL), and a table fits its column to it.
        let norm = |s: &str| {
            // Evidence a report links to is a local file: the folder's own, or the fleet
            // store's copy in its cache folder.
            let cache = std::env::temp_dir().join("sitecheck-fleet-evidence");
            let s = s
                .replace(&data_s, "STORE")
                .replace(&url, "STORE")
                .replace(&cache.display().to_string(), "STORE");
            if args.contains(&"store") {
                let words: Vec<&str> = s
                    .split_whitespace()
                    .map(|w| {
                        if w.starts_with("postgres://") {
                            "STORE"
                        } else {
                            w
                        }
                    })
                    .collect();
                words.join(" ")
            } else {
                s
            }
        };
        assert_eq!(
            (fc, norm(&fo), norm(&fe)),
            (dc, norm(&d_out), norm(&de)),
            "sitecheck {args:?}: the folder (left) and the fleet store (right) differ"
        );
        assert!(!fo.is_empty(), "{args:?} printed nothing");
        fo
    };

    let listed = same(&["list"]);
    assert!(listed.contains("damaged"), "{listed}");
    let json = same(&["list", "--format", "json"]);
    let visits: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(visits.len(), 80);
    same(&["stats"]);
    for by in [
        "technician",
        "checklist",
        "week",
        "month",
        "store",
        "field:work_order",
    ] {
        same(&["stats", "--by", by]);
    }
    same(&["stats", "--status", "finished"]);
    for (format, rows) in [
        ("csv", "answers"),
        ("csv", "visits"),
        ("jsonl", "answers"),
        ("html", "answers"),
    ] {
        same(&["export", "--format", format, "--rows", rows]);
    }
    // Returns: one technician's review logs, written out the same from either store.
    let technician = visits[0]["technician"].as_str().unwrap();
    let back_folder = dir.path().join("returns-folder");
    let back_fleet = dir.path().join("returns-fleet");
    let (fc, fo, fe) = run(
        &folder,
        &[
            "--technician",
            technician,
            "returns",
            "--out",
            &back_folder.display().to_string(),
        ],
    );
    let (dc, d_out, de) = run(
        &fleet,
        &[
            "--technician",
            technician,
            "returns",
            "--out",
            &back_fleet.display().to_string(),
        ],
    );
    assert_eq!((fc, dc), (0, 0), "{fe}{de}");
    assert_eq!(
        fo.replace(&back_folder.display().to_string(), "OUT"),
        d_out.replace(&back_fleet.display().to_string(), "OUT")
    );
    let written = |d: &Path| {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(d.join("reviews"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    assert_eq!(written(&back_folder), written(&back_fleet));
    assert!(!written(&back_fleet).is_empty(), "{d_out}");

    let verified = same(&["verify"]);
    assert!(verified.contains("error"), "{verified}");
    // Every kind of visit, shown in every format: a damaged one, the torn one, and others.
    let damaged: Vec<&str> = visits
        .iter()
        .filter(|v| v["integrity"]["state"] == "damaged")
        .filter_map(|v| v["visit"].as_str())
        .collect();
    assert_eq!(damaged.len(), 3, "{json}");
    let mut ids: Vec<&str> = visits
        .iter()
        .step_by(9)
        .filter_map(|v| v["visit"].as_str())
        .collect();
    ids.extend(&damaged);
    ids.push(&torn);
    for id in ids {
        for format in ["text", "json", "md", "html"] {
            same(&["show", id, "--format", format]);
        }
        same(&["verify", id]);
    }
}
