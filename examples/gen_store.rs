//! Generates a store of realistic visits for benchmarks and trying the review screens:
//!
//! ```text
//! cargo run --release --example gen_store -- --visits 100000 --out /tmp/store [--seed 7]
//! ```
//!
//! Visits follow the bundled checklists, by a dozen technicians over six months: most are
//! finished, some open, some abandoned, some rushed (answers seconds apart), some failed,
//! a few amended after a supervisor's follow-up; about a third are reviewed. Items that ask
//! for evidence get a photo, drawn from a pool of small files written to `<out>/evidence/`
//! (the store keeps files by hash, so the pool is all there is). Every log has a
//! valid hash chain, written with the same sealing code as sitecheck's own writer but
//! without an fsync per event (that is what makes 100,000 visits take seconds).

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};
use rayon::prelude::*;
use serde_json::{Map, Value, json};

use sitecheck::checklist::{Checklist, FieldKind, ItemKind, Library, NotePolicy, YesNo};
use sitecheck::log::chain;
use sitecheck::log::{ChecklistRef, Event, EventKind, StartInfo, Summary};
use sitecheck::visit::{
    AnswerValue, Answers, Attachment, ItemState, evaluate, evidence_missing, outcome,
};

const TECHNICIANS: [&str; 12] = [
    "zhang.san",
    "li.si",
    "wang.wu",
    "zhao.liu",
    "chen.qi",
    "liu.yang",
    "huang.lei",
    "zhou.min",
    "wu.hao",
    "xu.jing",
    "sun.tao",
    "ma.li",
];
const CUSTOMERS: [&str; 10] = [
    "李先生",
    "王女士",
    "张伟",
    "刘洋",
    "陈静",
    "Mr Smith",
    "杨帆",
    "赵敏",
    "黄磊",
    "周杰",
];
const STREETS: [&str; 6] = [
    "青岛市崂山区海尔路1号",
    "惠州市仲恺大道86号",
    "上海市浦东新区世纪大道100号",
    "北京市朝阳区建国路88号",
    "深圳市南山区科技园",
    "广州市天河区体育西路",
];
const FAIL_NOTES: [&str; 6] = [
    "customer asked to come back later",
    "配件缺货，已报备",
    "forgot it in the van",
    "顾客不在家，电话联系",
    "wall too weak, used the floor stand",
    "redone after the customer complained",
];

/// splitmix64: small, fast, and the same sequence for the same seed everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }
}

struct Args {
    visits: u64,
    out: PathBuf,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut visits, mut out, mut seed) = (None, None, 7);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--visits" => visits = Some(value()?.parse().map_err(|e| format!("--visits: {e}"))?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args {
        visits: visits.ok_or("--visits N is required")?,
        out: out.ok_or("--out DIR is required")?,
        seed,
    })
}

/// What one technician is like.
struct Profile {
    name: &'static str,
    host: String,
    /// Chance that a pass/fail-like item fails.
    fail_rate: f64,
    /// Chance that a visit of theirs is rushed.
    rush_rate: f64,
}

fn profiles() -> Vec<Profile> {
    TECHNICIANS
        .iter()
        .enumerate()
        .map(|(i, name)| Profile {
            name,
            host: format!("tb-{:04}", 40 + i),
            fail_rate: [0.02, 0.04, 0.08, 0.15][i % 4],
            rush_rate: [0.02, 0.05, 0.02, 0.25][(i / 2) % 4],
        })
        .collect()
}

#[derive(Default)]
struct Totals {
    visits: AtomicU64,
    answers: AtomicU64,
    bytes: AtomicU64,
    reviews: AtomicU64,
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args()
        .map_err(|e| format!("{e}\nusage: gen_store --visits N --out DIR [--seed S]"))?;
    let library = Library::default();
    let checklists: Vec<Checklist> = ["appliance-install", "haier-12345", "tcl-8s"]
        .iter()
        .map(|id| {
            library
                .bundled(id)
                .map(|found| found.checklist)
                .ok_or_else(|| format!("bundled checklist {id} is missing"))
        })
        .collect::<Result<_, _>>()?;
    let profiles = profiles();
    let photos = photo_pool(&args.out)?;
    let totals = Totals::default();
    let started = std::time::Instant::now();
    (0..args.visits)
        .into_par_iter()
        .try_for_each(|n| -> Result<(), String> {
            let mut rng =
                Rng::new(args.seed.wrapping_mul(0x1000_0000_01b3) ^ n.wrapping_mul(0x9e37));
            let generated = generate(&mut rng, n, &checklists, &profiles, &photos)?;
            write_visit(&args.out, &generated, &totals).map_err(|e| e.to_string())
        })?;
    eprintln!(
        "{} visits, {} answers, {} reviews, {:.1} MB in {:.1?} → {}",
        totals.visits.load(Ordering::Relaxed),
        totals.answers.load(Ordering::Relaxed),
        totals.reviews.load(Ordering::Relaxed),
        totals.bytes.load(Ordering::Relaxed) as f64 / 1e6,
        started.elapsed(),
        args.out.display()
    );
    Ok(())
}

struct Generated {
    id: String,
    month: String,
    lines: Vec<String>,
    answers: u64,
    reviews: Vec<String>,
}

/// How many distinct photos the generated visits share.
const PHOTOS: usize = 64;

/// A photo of the pool: its hash, size and bytes.
struct Photo {
    sha256: String,
    bytes: Vec<u8>,
}

/// Writes the pool of photos into the store's evidence folder, by hash as sitecheck does.
fn photo_pool(out: &Path) -> Result<Vec<Photo>, Box<dyn Error>> {
    let mut pool = Vec::with_capacity(PHOTOS);
    for k in 0..PHOTOS {
        // The first bytes of a JPEG, then a pattern of its own: small, and distinct.
        let mut bytes = b"\xFF\xD8\xFF\xE0".to_vec();
        bytes.extend((0..2048u32).map(|i| (i.wrapping_mul(31).wrapping_add(k as u32 * 7)) as u8));
        let sha256 = sitecheck::checklist::sha256_hex(&bytes);
        let dir = out.join("evidence").join(&sha256[..2]);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(&sha256), &bytes)?;
        pool.push(Photo { sha256, bytes });
    }
    Ok(pool)
}

fn generate(
    rng: &mut Rng,
    n: u64,
    checklists: &[Checklist],
    profiles: &[Profile],
    photos: &[Photo],
) -> Result<Generated, String> {
    let checklist = match rng.below(10) {
        0..=4 => &checklists[0],
        5..=7 => &checklists[1],
        _ => &checklists[2],
    };
    let profile = rng.pick(profiles);
    let offset = FixedOffset::east_opt(8 * 3600).ok_or("offset")?;
    let first_day = NaiveDate::from_ymd_opt(2026, 6, 1).ok_or("date")?;
    let day = first_day + Duration::days(rng.below(183) as i64);
    let start_naive = day
        .and_hms_opt(
            8 + rng.below(10) as u32,
            rng.below(60) as u32,
            rng.below(60) as u32,
        )
        .ok_or("time")?
        + Duration::milliseconds(rng.below(1000) as i64);
    let start = offset
        .from_local_datetime(&start_naive)
        .single()
        .ok_or("time")?;
    let ulid = ulid::Ulid::from_parts(
        start.timestamp_millis() as u64,
        u128::from(rng.next()) << 16 | u128::from(n as u16),
    );
    let id = ulid.to_string();

    let mut log = LogBuilder::new(start);
    let info = StartInfo {
        technician: profile.name.to_owned(),
        host: profile.host.clone(),
        app: "sitecheck 0.1.0".to_owned(),
        lang: if rng.chance(0.8) { "zh-CN" } else { "en" }.to_owned(),
        checklist: ChecklistRef {
            id: checklist.id.clone(),
            version: checklist.version.clone(),
            sha256: checklist.sha256.clone(),
            source: checklist.source.clone(),
        },
        fields: fields(rng, checklist, n, &start),
    };
    log.push(
        0,
        EventKind::Started {
            visit: id.clone(),
            info,
        },
    )?;

    let rushed = rng.chance(profile.rush_rate);
    let answers = answers_for(rng, checklist, profile.fail_rate);
    // Open and abandoned visits stop part of the way.
    let fate = rng.below(100);
    let (stop_at, closing) = match fate {
        0..=6 => (rng.below(answers.len() as u64 + 1) as usize, Fate::Open),
        7..=10 => (
            rng.below(answers.len() as u64 / 2 + 1) as usize,
            Fate::Abandoned,
        ),
        _ => (answers.len(), Fate::Finished),
    };
    let mut ms: u64 = 20_000 + rng.below(120_000);
    let mut answered = 0;
    let mut state = Answers::new();
    for (i, (item, value, note)) in answers.iter().enumerate().take(stop_at) {
        ms += if rushed {
            500 + rng.below(2_000)
        } else {
            8_000 + rng.below(80_000)
        };
        if i == stop_at / 2 && rng.chance(0.1) {
            log.push(ms, EventKind::Paused)?;
            ms += 600_000 + rng.below(3_600_000);
            log.push(ms, EventKind::Resumed)?;
        }
        // Now and then a technician answers, thinks again and changes the answer.
        if rng.chance(0.03) {
            log.push(
                ms,
                EventKind::Answered {
                    item: item.clone(),
                    value: value.to_json(),
                    note: None,
                },
            )?;
            answered += 1;
            ms += 2_000 + rng.below(10_000);
        }
        log.push(
            ms,
            EventKind::Answered {
                item: item.clone(),
                value: value.to_json(),
                note: note.clone(),
            },
        )?;
        answered += 1;
        let mut evidence = Vec::new();
        let definition = checklist.item(item).ok_or("an item of the checklist")?;
        if evidence_missing(definition, Some(outcome(definition, value)), 0) {
            ms += 20_000 + rng.below(40_000);
            let photo = rng.pick(photos);
            let name = format!("IMG_{:04}.jpg", rng.below(10_000));
            log.push(
                ms,
                EventKind::Attached {
                    item: item.clone(),
                    sha256: photo.sha256.clone(),
                    size: photo.bytes.len() as u64,
                    media_type: "image/jpeg".to_owned(),
                    name: name.clone(),
                    reason: None,
                    technician: None,
                    host: None,
                },
            )?;
            evidence.push(Attachment {
                sha256: photo.sha256.clone(),
                size: photo.bytes.len() as u64,
                media_type: "image/jpeg".to_owned(),
                name,
                at: String::new(),
                seq: 0,
            });
        }
        state.insert(
            item.clone(),
            ItemState {
                value: Some(value.clone()),
                note: note.clone(),
                answered_at: None,
                ms: Some(ms),
                evidence,
            },
        );
        if note.is_none() && rng.chance(0.02) {
            ms += 5_000;
            log.push(
                ms,
                EventKind::Noted {
                    item: item.clone(),
                    note: rng.pick(&FAIL_NOTES).to_string(),
                },
            )?;
        }
    }
    ms += 30_000 + rng.below(300_000);
    let mut reviews = Vec::new();
    match closing {
        Fate::Open => {}
        Fate::Abandoned => log.push(
            ms,
            EventKind::Abandoned {
                reason: "customer not at home / 顾客不在家".to_owned(),
            },
        )?,
        Fate::Finished => {
            let eval = evaluate(checklist, &state);
            let summary = Summary {
                score: eval.score.map(|s| (s * 10_000.0).round() / 10_000.0),
                result: eval.result.name().to_owned(),
                passed: eval.passed as u32,
                failed: eval.failed as u32,
                na: eval.na as u32,
                missing: eval.missing_count() as u32,
            };
            log.push(ms, EventKind::Finished { summary })?;
            if rng.chance(0.35) {
                reviews = review(rng, &id, &mut log, checklist, &state, ms, &start)?;
            }
        }
    }
    Ok(Generated {
        id,
        month: start.format("%Y-%m").to_string(),
        lines: log.lines,
        answers: answered,
        reviews,
    })
}

enum Fate {
    Open,
    Finished,
    Abandoned,
}

/// Reviews a finished visit: mostly approved; some flagged for follow-up, and of those some
/// amended by the technician afterwards (which leaves the review outdated).
fn review(
    rng: &mut Rng,
    visit: &str,
    log: &mut LogBuilder,
    checklist: &Checklist,
    state: &Answers,
    ms: u64,
    start: &DateTime<FixedOffset>,
) -> Result<Vec<String>, String> {
    let reviewer = if rng.chance(0.5) {
        "supervisor.wang"
    } else {
        "supervisor.li"
    };
    let at = *start + Duration::days(1 + rng.below(5) as i64);
    let mut reviews = LogBuilder::new(at);
    let verdict_roll = rng.below(100);
    let last = log.prev.clone();
    if verdict_roll < 80 {
        reviews.push_review(0, visit, &last, reviewer, "approved", "", None)?;
        return Ok(reviews.lines);
    }
    if verdict_roll < 90 {
        reviews.push_review(
            0,
            visit,
            &last,
            reviewer,
            "rejected",
            "photos missing; redo the visit",
            None,
        )?;
        return Ok(reviews.lines);
    }
    let flagged = checklist
        .items()
        .map(|(_, item)| item)
        .find(|item| matches!(item.kind, ItemKind::PassFail) && state.contains_key(&item.id))
        .map(|item| item.id.clone());
    let Some(item) = flagged else {
        return Ok(reviews.lines);
    };
    reviews.push_review(
        0,
        visit,
        &last,
        reviewer,
        "follow_up",
        "please re-check and confirm",
        Some(&item),
    )?;
    if rng.chance(0.5) {
        log.push(
            ms + 86_400_000,
            // As logs written before amendments named their maker: they must still load.
            EventKind::Amended {
                item: Some(item),
                value: json!("pass"),
                note: Some("re-checked on a second visit".to_owned()),
                reason: "supervisor follow-up".to_owned(),
                technician: None,
                host: None,
            },
        )?;
    }
    Ok(reviews.lines)
}

/// Lines of a chained log being built in memory.
struct LogBuilder {
    start: DateTime<FixedOffset>,
    prev: String,
    seq: u64,
    lines: Vec<String>,
}

impl LogBuilder {
    fn new(start: DateTime<FixedOffset>) -> LogBuilder {
        LogBuilder {
            start,
            prev: String::new(),
            seq: 0,
            lines: Vec::new(),
        }
    }

    fn at(&self, ms: u64) -> String {
        (self.start + Duration::milliseconds(ms as i64))
            .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
            .to_string()
    }

    fn push(&mut self, ms: u64, kind: EventKind) -> Result<(), String> {
        let (event, line) =
            Event::seal(&self.prev, self.seq, self.at(ms), ms, kind).map_err(|e| e.to_string())?;
        self.prev = event.hash;
        self.seq += 1;
        self.lines.push(line);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn push_review(
        &mut self,
        ms: u64,
        visit: &str,
        visit_hash: &str,
        reviewer: &str,
        verdict: &str,
        comment: &str,
        item: Option<&str>,
    ) -> Result<(), String> {
        let mut body = Map::new();
        body.insert("seq".into(), json!(self.seq));
        body.insert("event".into(), json!("review"));
        body.insert("at".into(), json!(self.at(ms)));
        body.insert("visit".into(), json!(visit));
        body.insert("visit_hash".into(), json!(visit_hash));
        body.insert("reviewer".into(), json!(reviewer));
        body.insert("verdict".into(), json!(verdict));
        body.insert("comment".into(), json!(comment));
        if let Some(item) = item {
            body.insert("item".into(), json!(item));
        }
        let sealed =
            chain::seal(&self.prev, &Value::Object(body).to_string()).map_err(|e| e.to_string())?;
        self.prev = sealed.hash;
        self.seq += 1;
        self.lines.push(sealed.line);
        Ok(())
    }
}

/// Header fields with values their patterns accept.
fn fields(
    rng: &mut Rng,
    checklist: &Checklist,
    n: u64,
    start: &DateTime<FixedOffset>,
) -> Map<String, Value> {
    let mut fields = Map::new();
    for field in &checklist.visit_fields {
        if !field.required && rng.chance(0.3) {
            continue;
        }
        let value = match (field.id.as_str(), field.kind) {
            ("work_order", _) => json!(format!("WO-{:06}", n % 1_000_000)),
            ("customer", _) => json!(rng.pick(&CUSTOMERS)),
            ("phone", _) => json!(format!(
                "138 {:04} {:04}",
                rng.below(10_000),
                rng.below(10_000)
            )),
            ("address", _) => json!(rng.pick(&STREETS)),
            (_, FieldKind::Number) => json!(1 + rng.below(30)),
            (_, FieldKind::Date) => json!(start.format("%Y-%m-%d").to_string()),
            (_, FieldKind::Datetime) => json!(start.format("%Y-%m-%dT%H:%M").to_string()),
            (_, FieldKind::Choice) => match field.options.first() {
                Some(_) => json!(rng.pick(&field.options).id),
                None => continue,
            },
            (_, FieldKind::Text) => json!(format!("TCL-{}", 100 + rng.below(900))),
        };
        fields.insert(field.id.clone(), value);
    }
    fields
}

/// An answer for every item that is visible once the answers before it are given, in order.
fn answers_for(
    rng: &mut Rng,
    checklist: &Checklist,
    fail_rate: f64,
) -> Vec<(String, AnswerValue, Option<String>)> {
    // Answer everything, then keep what the checklist shows: visibility only looks back, so
    // dropping hidden answers changes nothing else.
    let mut all = Vec::new();
    let mut state = Answers::new();
    for (_, item) in checklist.items() {
        if !item.required && rng.chance(0.5) {
            continue;
        }
        let fail = rng.chance(fail_rate);
        let value = if item.allow_na && rng.chance(0.05) {
            AnswerValue::Na
        } else {
            value_for(rng, &item.kind, fail)
        };
        let outcome = sitecheck::visit::outcome(item, &value);
        let needs_note = match item.note {
            NotePolicy::Always => true,
            NotePolicy::OnFail => outcome == sitecheck::visit::Outcome::Fail,
            _ => false,
        };
        let note = needs_note.then(|| rng.pick(&FAIL_NOTES).to_string());
        state.insert(
            item.id.clone(),
            ItemState {
                value: Some(value.clone()),
                note: note.clone(),
                ..ItemState::default()
            },
        );
        all.push((item.id.clone(), value, note));
    }
    let eval = evaluate(checklist, &state);
    let visible: std::collections::HashSet<&str> = checklist
        .items()
        .zip(&eval.items)
        .filter(|(_, s)| s.visible)
        .map(|((_, item), _)| item.id.as_str())
        .collect();
    all.into_iter()
        .filter(|(id, _, _)| visible.contains(id.as_str()))
        .collect()
}

fn value_for(rng: &mut Rng, kind: &ItemKind, fail: bool) -> AnswerValue {
    match kind {
        ItemKind::Check => AnswerValue::Done,
        ItemKind::PassFail => {
            if fail {
                AnswerValue::Fail
            } else {
                AnswerValue::Pass
            }
        }
        ItemKind::YesNo { expect } => {
            let good = expect.unwrap_or(YesNo::Yes);
            let answer = if fail { flip(good) } else { good };
            match answer {
                YesNo::Yes => AnswerValue::Yes,
                YesNo::No => AnswerValue::No,
            }
        }
        ItemKind::Number {
            min, max, decimals, ..
        } => {
            let (low, high) = (min.unwrap_or(0.0), max.unwrap_or(100.0));
            let n = if fail {
                high + 1.0 + rng.range(0.0, 10.0)
            } else {
                rng.range(low, high)
            };
            let scale = 10f64.powi(i32::from(decimals.unwrap_or(0)));
            AnswerValue::Number((n * scale).round() / scale)
        }
        ItemKind::Choice { options } => {
            let pool: Vec<_> = options.iter().filter(|o| o.fail == fail).collect();
            let pool = if pool.is_empty() {
                options.iter().collect()
            } else {
                pool
            };
            AnswerValue::Choice(rng.pick(&pool).id.clone())
        }
        ItemKind::MultiChoice { options } => {
            let pool: Vec<_> = options.iter().filter(|o| o.fail == fail).collect();
            let pool = if pool.is_empty() {
                options.iter().collect()
            } else {
                pool
            };
            AnswerValue::Choices(vec![rng.pick(&pool).id.clone()])
        }
        ItemKind::Rating { scale, .. } => {
            // Satisfaction is mostly 4 or 5: about 80% of customers satisfied.
            let r = match rng.below(100) {
                0..=4 => 2,
                5..=19 => 3,
                20..=54 => 4,
                _ => 5,
            };
            AnswerValue::Rating(r.min(*scale))
        }
        ItemKind::Text { .. } => AnswerValue::Text(format!("SN-{:08}", rng.below(100_000_000))),
        ItemKind::SignOff { .. } => AnswerValue::SignOff(rng.pick(&CUSTOMERS).to_string()),
    }
}

fn flip(answer: YesNo) -> YesNo {
    match answer {
        YesNo::Yes => YesNo::No,
        YesNo::No => YesNo::Yes,
    }
}

fn write_visit(out: &Path, visit: &Generated, totals: &Totals) -> std::io::Result<()> {
    let dir = out.join("visits").join(&visit.month);
    std::fs::create_dir_all(&dir)?;
    let mut bytes = Vec::new();
    for line in &visit.lines {
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
    }
    std::fs::write(dir.join(format!("{}.jsonl", visit.id)), &bytes)?;
    totals.visits.fetch_add(1, Ordering::Relaxed);
    totals.answers.fetch_add(visit.answers, Ordering::Relaxed);
    totals
        .bytes
        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
    if !visit.reviews.is_empty() {
        let dir = out.join("reviews");
        std::fs::create_dir_all(&dir)?;
        let mut bytes = Vec::new();
        for line in &visit.reviews {
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
        }
        std::fs::write(dir.join(format!("{}.jsonl", visit.id)), bytes)?;
        totals.reviews.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}
