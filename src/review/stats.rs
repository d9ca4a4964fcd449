//! Compliance figures over a set of visit summaries (SPEC section 6), as pure code:
//! per item and per section of each checklist, per technician, per ISO week, and each
//! checklist's `targets` with the rate achieved.
//!
//! Compliance is passes / (passes + fails): N/A and information-only answers count for
//! neither. Visits of different versions of one checklist are counted together, item by id.
//!
//! One definition for every reader (SPEC section 6): the figures count finished visits;
//! open, abandoned and damaged ones among those given are counted beside them, never in
//! them. The stats tab, `sitecheck stats` and the HTML report all call `compute_stats`.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::Arc;

use crate::checklist::{Checklist, Text};

use super::breakdown::By;
pub use super::figures::{
    ChecklistStats, Compliance, GroupStats, GroupTarget, ItemStats, SectionStats, TargetStats,
    iso_week,
};
use super::ranking::{TargetRanking, rank_technicians};

use crate::store::index::summary::{IntegrityState, VisitStatus, VisitSummary};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Finished visits counted (unreadable ones, damaged logs and those without a loadable
    /// checklist are not).
    pub visits: u32,
    /// Unreadable or damaged visits given (or without a loadable checklist): left out.
    pub skipped: u32,
    /// Open visits given: beside the figures, not in them.
    pub open: u32,
    /// Abandoned visits given: beside the figures, not in them.
    pub abandoned: u32,
    pub compliance: Compliance,
    pub rushed: u32,
    pub checklists: Vec<ChecklistStats>,
    /// By name.
    pub technicians: Vec<GroupStats>,
    /// Oldest first.
    pub weeks: Vec<GroupStats>,
    /// The breakdown asked for (`--by`), its groups in their natural order.
    pub breakdown: Option<Breakdown>,
    /// For each target, the technicians ranked against it.
    pub rankings: Vec<TargetRanking>,
}

impl Stats {
    /// The rate achieved against a checklist's target (by name), when these figures have
    /// that target: for comparing one period with another.
    pub fn target_rate(&self, checklist: &str, target: &str) -> Option<f64> {
        self.checklists
            .iter()
            .find(|c| c.id == checklist)?
            .targets
            .iter()
            .find(|t| t.target.name == target)
            .and_then(TargetStats::rate)
    }
}

/// The figures broken down by one dimension.
#[derive(Clone, Debug, PartialEq)]
pub struct Breakdown {
    pub by: By,
    pub groups: Vec<GroupStats>,
    /// For a choice header field, each option's label by its id (the groups' keys), for
    /// people to read (`Replacement of an old unit`, not `replacement`).
    pub labels: BTreeMap<String, Text>,
}

impl Breakdown {
    /// A group's key as people read it in `lang`.
    pub fn label<'a>(&'a self, key: &'a str, lang: &str) -> &'a str {
        self.labels
            .get(key)
            .map(|t| t.get(lang, None))
            .filter(|l| !l.is_empty())
            .unwrap_or(key)
    }
}

/// Accumulates one checklist id's figures.
pub(super) struct Acc {
    pub(super) stats: ChecklistStats,
    /// The newest version's `started_at`, deciding whose titles and order are shown.
    pub(super) newest: String,
    pub(super) item_index: HashMap<String, usize>,
    pub(super) target_index: HashMap<String, usize>,
}

impl Acc {
    pub(super) fn new(checklist: &Checklist) -> Acc {
        let mut acc = Acc {
            stats: ChecklistStats {
                id: checklist.id.clone(),
                title: checklist.title.clone(),
                default_language: checklist.default_language().map(str::to_owned),
                visits: 0,
                compliance: Compliance::default(),
                sections: Vec::new(),
                items: Vec::new(),
                targets: Vec::new(),
            },
            newest: String::new(),
            item_index: HashMap::new(),
            target_index: HashMap::new(),
        };
        acc.learn(checklist);
        acc
    }

    /// Adds the sections, items and targets this version has that others did not.
    pub(super) fn learn(&mut self, checklist: &Checklist) {
        for section in &checklist.sections {
            let s = match self.stats.sections.iter().position(|s| s.id == section.id) {
                Some(s) => s,
                None => {
                    self.stats.sections.push(SectionStats {
                        id: section.id.clone(),
                        title: section.title.clone(),
                        compliance: Compliance::default(),
                    });
                    self.stats.sections.len() - 1
                }
            };
            for item in &section.items {
                if !self.item_index.contains_key(&item.id) {
                    self.item_index
                        .insert(item.id.clone(), self.stats.items.len());
                    self.stats.items.push(ItemStats {
                        id: item.id.clone(),
                        prompt: item.prompt.clone(),
                        section: s,
                        compliance: Compliance::default(),
                    });
                }
            }
        }
        for target in &checklist.targets {
            if !self.target_index.contains_key(&target.name) {
                self.target_index
                    .insert(target.name.clone(), self.stats.targets.len());
                self.stats.targets.push(TargetStats {
                    target: target.clone(),
                    measured: 0,
                    met: 0,
                });
            }
        }
    }

    /// Counts one visit; its compliance over all items.
    fn add(&mut self, checklist: &Checklist, visit: &VisitSummary) -> Compliance {
        if visit.started_at > self.newest {
            self.newest.clone_from(&visit.started_at);
            self.stats.title = checklist.title.clone();
        }
        self.stats.visits += 1;
        let mut total = Compliance::default();
        for ((_, item), mark) in checklist.items().zip(visit.marks.iter()) {
            let Some(&index) = self.item_index.get(&item.id) else {
                continue;
            };
            if let Some(stats) = self.stats.items.get_mut(index) {
                stats.compliance.add_mark(mark);
                let section = stats.section;
                if let Some(section) = self.stats.sections.get_mut(section) {
                    section.compliance.add_mark(mark);
                }
            }
            total.add_mark(mark);
        }
        for (target, met) in checklist.targets.iter().zip(visit.targets.iter()) {
            let Some(stats) = self
                .target_index
                .get(&target.name)
                .and_then(|&i| self.stats.targets.get_mut(i))
            else {
                continue;
            };
            if let Some(met) = met {
                stats.measured += 1;
                stats.met += u32::from(met);
            }
        }
        self.stats.compliance.add(total);
        total
    }
}

/// The figures over the finished visits among `visits`, broken down `by` a dimension when
/// one is asked for. Unreadable visits, damaged logs, and visits whose checklist does not
/// load are counted in `skipped`; open and abandoned ones in `open` and `abandoned`.
pub fn compute_stats<'a>(
    visits: impl IntoIterator<Item = &'a VisitSummary>,
    by: Option<&By>,
) -> Stats {
    let mut stats = Stats::default();
    let mut breakdown: BTreeMap<String, GroupStats> = BTreeMap::new();
    let mut labels: BTreeMap<String, Text> = BTreeMap::new();
    let mut checklists: BTreeMap<String, Acc> = BTreeMap::new();
    // Versions already learnt, so each distinct checklist is walked once.
    let mut learnt: HashMap<*const Checklist, ()> = HashMap::new();
    let mut technicians: BTreeMap<String, GroupStats> = BTreeMap::new();
    let mut weeks: BTreeMap<String, GroupStats> = BTreeMap::new();
    for visit in visits {
        let checklist: Option<&Arc<Checklist>> = visit.checklist.checklist.as_ref();
        // A log that does not verify (a line altered, missing or out of order) may say
        // anything: its answers are not figures to trust.
        let untrusted = visit.status == VisitStatus::Unreadable
            || visit.integrity.state() == IntegrityState::Damaged;
        let (Some(checklist), false) = (checklist, untrusted) else {
            stats.skipped += 1;
            continue;
        };
        match visit.status {
            VisitStatus::Finished => {}
            VisitStatus::Open => {
                stats.open += 1;
                continue;
            }
            VisitStatus::Abandoned => {
                stats.abandoned += 1;
                continue;
            }
            VisitStatus::Unreadable => {
                stats.skipped += 1;
                continue;
            }
        }
        let acc = checklists
            .entry(checklist.id.clone())
            .or_insert_with(|| Acc::new(checklist));
        if learnt.insert(Arc::as_ptr(checklist), ()).is_none() {
            acc.learn(checklist);
        }
        let compliance = acc.add(checklist, visit);
        stats.visits += 1;
        stats.compliance.add(compliance);
        stats.rushed += u32::from(visit.rushed);
        let technician = technicians.entry(visit.technician.clone()).or_default();
        technician.key.clone_from(&visit.technician);
        technician.add(checklist, visit, compliance);
        if let Some(week) = iso_week(&visit.started_at) {
            let group = weeks.entry(week.clone()).or_default();
            group.key = week;
            group.add(checklist, visit, compliance);
        }
        if let Some(key) = by.and_then(|by| by.key(visit)) {
            if let (Some(By::Field(id)), false) = (by, labels.contains_key(&key)) {
                let option = checklist
                    .visit_fields
                    .iter()
                    .find(|f| f.id == *id)
                    .and_then(|f| f.options.iter().find(|o| o.id == key));
                if let Some(option) = option {
                    labels.insert(key.clone(), option.label.clone());
                }
            }
            let group = breakdown.entry(key.clone()).or_default();
            group.key = key;
            group.add(checklist, visit, compliance);
        }
    }
    stats.checklists = checklists.into_values().map(|acc| acc.stats).collect();
    stats.technicians = technicians.into_values().collect();
    stats.weeks = weeks.into_values().collect();
    stats.rankings = rank_technicians(&stats.checklists, &stats.technicians);
    stats.breakdown = by.map(|by| Breakdown {
        by: by.clone(),
        groups: breakdown.into_values().collect(),
        labels,
    });
    stats
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::parse_str;
    use crate::store::index::summary::{ChecklistInfo, ItemMark, ItemMarks, TargetMarks};

    const CHECKLIST: &str = r#"
sitecheck: 1
id: mini
version: "1"
title: Mini
sections:
  - id: a
    title: A
    items:
      - { id: badge, prompt: Badge, kind: pass_fail }
      - { id: clean, prompt: Clean, kind: pass_fail, allow_na: true }
  - id: b
    title: B
    items:
      - { id: satisfaction, prompt: Satisfied?, kind: rating }
targets:
  - { name: satisfaction, item: satisfaction, at_least: 4, rate: 0.75 }
"#;

    fn info() -> Arc<ChecklistInfo> {
        let checklist = parse_str(CHECKLIST).checklist.unwrap();
        Arc::new(ChecklistInfo {
            id: checklist.id.clone(),
            checklist: Some(Arc::new(checklist)),
            ..ChecklistInfo::default()
        })
    }

    fn visit(
        info: &Arc<ChecklistInfo>,
        who: &str,
        day: &str,
        marks: &str,
        met: Option<bool>,
    ) -> VisitSummary {
        let mark = |c| match c {
            'p' => ItemMark::Pass,
            'f' => ItemMark::Fail,
            'n' => ItemMark::Na,
            _ => ItemMark::Unanswered,
        };
        VisitSummary {
            checklist: info.clone(),
            technician: who.into(),
            started_at: format!("{day}T10:00:00.000+08:00"),
            status: VisitStatus::Finished,
            marks: ItemMarks::new(marks.chars().map(mark)),
            targets: TargetMarks::new([met]),
            ..VisitSummary::default()
        }
    }

    #[test]
    fn compliance_per_item_section_technician_week_and_target() {
        let info = info();
        let visits = vec![
            visit(&info, "zhang", "2026-11-16", "ppp", Some(true)),
            visit(&info, "zhang", "2026-11-17", "pfp", Some(true)),
            visit(&info, "li", "2026-11-23", "fnf", Some(false)),
            visit(&info, "li", "2026-11-24", "pp.", None),
            VisitSummary {
                status: VisitStatus::Unreadable,
                ..VisitSummary::default()
            },
            // An altered log: its all-passing answers are not counted.
            VisitSummary {
                integrity: crate::log::integrity::Integrity {
                    torn: None,
                    problems: vec![crate::log::integrity::LineProblem {
                        line: 3,
                        message: "altered".into(),
                    }],
                },
                ..visit(&info, "zhang", "2026-11-18", "ppp", Some(true))
            },
        ];
        let stats = compute_stats(&visits, None);
        assert_eq!((stats.visits, stats.skipped), (4, 2));
        let c = &stats.checklists[0];
        let badge = &c.items[0];
        assert_eq!((badge.compliance.passed, badge.compliance.failed), (3, 1));
        assert_eq!(badge.compliance.rate(), Some(0.75));
        let clean = &c.items[1];
        assert_eq!(
            (
                clean.compliance.passed,
                clean.compliance.failed,
                clean.compliance.na
            ),
            (2, 1, 1)
        );
        // Section a: badge + clean.
        assert_eq!(c.sections[0].compliance.rate(), Some(5.0 / 7.0));
        assert_eq!(c.sections[1].compliance.rate(), Some(2.0 / 3.0));
        // Satisfaction met in 2 of 3 measured visits: 66.7% < 75%.
        let target = &c.targets[0];
        assert_eq!((target.met, target.measured), (2, 3));
        assert_eq!(target.achieved(), Some(false));
        let names: Vec<&str> = stats.technicians.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(names, ["li", "zhang"]);
        assert_eq!(stats.technicians[1].compliance.rate(), Some(5.0 / 6.0));
        let weeks: Vec<&str> = stats.weeks.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(weeks, ["2026-W47", "2026-W48"]);
        assert_eq!(stats.weeks[0].visits, 2);
    }

    #[test]
    fn only_finished_visits_are_counted_and_the_rest_shown_beside() {
        let info = info();
        let rushed = |status| VisitSummary {
            status,
            rushed: true,
            ..visit(&info, "li", "2026-11-23", "fff", Some(false))
        };
        let visits = vec![
            visit(&info, "zhang", "2026-11-16", "ppp", Some(true)),
            rushed(VisitStatus::Open),
            rushed(VisitStatus::Abandoned),
            rushed(VisitStatus::Finished),
        ];
        let stats = compute_stats(&visits, Some(&By::Technician));
        assert_eq!(
            (stats.visits, stats.open, stats.abandoned, stats.skipped),
            (2, 1, 1, 0)
        );
        assert_eq!(stats.rushed, 1, "rushed over the finished visits only");
        assert_eq!((stats.compliance.passed, stats.compliance.failed), (3, 3));
        let by = stats.breakdown.as_ref().map(|b| b.groups.len());
        assert_eq!(by, Some(2));
        // Zhang meets the satisfaction target, li does not: zhang first.
        let ranking = &stats.rankings[0];
        let names: Vec<&str> = ranking.rows.iter().map(|r| r.technician.as_str()).collect();
        assert_eq!(names, ["zhang", "li"]);
        assert_eq!((ranking.rows[1].met, ranking.rows[1].measured), (0, 1));
    }

    #[test]
    fn nothing_scored_has_no_rate() {
        assert_eq!(Compliance::default().rate(), None);
        assert_eq!(compute_stats(&[], None).visits, 0);
        assert_eq!(iso_week("2021-01-03"), Some("2020-W53".into()));
        assert_eq!(iso_week("garbage"), None);
    }
}
