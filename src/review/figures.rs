//! The figures themselves, the parts every view of the stats is made of: compliance, a
//! checklist's sections, items and targets, a group's (technician, week, breakdown) figures,
//! and the ISO week a visit falls in. Below `stats` (which computes them), `breakdown` and
//! `ranking` (which group and rank them), so that those never need each other.

use chrono::{Datelike, NaiveDate};

use crate::checklist::{Checklist, Target, Text};
use crate::store::index::summary::{ItemMark, VisitSummary};

/// Passes and fails (and N/As, shown but not counted in the rate).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Compliance {
    pub passed: u32,
    pub failed: u32,
    pub na: u32,
}

impl Compliance {
    /// passes / (passes + fails), `None` when nothing was scored.
    pub fn rate(&self) -> Option<f64> {
        let scored = self.passed + self.failed;
        (scored > 0).then(|| f64::from(self.passed) / f64::from(scored))
    }

    pub(super) fn add_mark(&mut self, mark: ItemMark) {
        match mark {
            ItemMark::Pass => self.passed += 1,
            ItemMark::Fail => self.failed += 1,
            ItemMark::Na => self.na += 1,
            ItemMark::Info | ItemMark::Unanswered | ItemMark::Hidden => {}
        }
    }

    pub(super) fn add(&mut self, other: Compliance) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.na += other.na;
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ItemStats {
    pub id: String,
    pub prompt: Text,
    /// Index of its section in `ChecklistStats::sections`.
    pub section: usize,
    pub compliance: Compliance,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SectionStats {
    pub id: String,
    pub title: Text,
    pub compliance: Compliance,
}

/// A target and how the visits did against it.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetStats {
    pub target: Target,
    /// Visits where it could be measured (the item answered, visible, not N/A) ...
    pub measured: u32,
    /// ... and of those, visits that met it.
    pub met: u32,
}

impl TargetStats {
    /// The share of measured visits that met it.
    pub fn rate(&self) -> Option<f64> {
        (self.measured > 0).then(|| f64::from(self.met) / f64::from(self.measured))
    }

    /// Whether the rate reaches the target's; `None` with nothing measured.
    pub fn achieved(&self) -> Option<bool> {
        self.rate().map(|rate| rate + 1e-9 >= self.target.rate)
    }
}

/// One checklist (all versions of one id).
#[derive(Clone, Debug, PartialEq)]
pub struct ChecklistStats {
    pub id: String,
    /// The title of the newest version met.
    pub title: Text,
    pub default_language: Option<String>,
    pub visits: u32,
    pub compliance: Compliance,
    pub sections: Vec<SectionStats>,
    pub items: Vec<ItemStats>,
    pub targets: Vec<TargetStats>,
}

/// Figures for one technician or one week.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupStats {
    /// The technician's name, or the ISO week as `2026-W47`.
    pub key: String,
    pub visits: u32,
    pub compliance: Compliance,
    /// Visits whose result is fail.
    pub failed_visits: u32,
    pub rushed: u32,
    /// Each target of each checklist met, measured over this group's visits.
    pub targets: Vec<GroupTarget>,
    /// Sum of scores, and how many visits had one, for the mean.
    pub(super) score_sum: f64,
    pub(super) scored: u32,
}

/// A target over one group's visits: `met` of `measured`.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupTarget {
    pub checklist: String,
    pub target: Target,
    pub measured: u32,
    pub met: u32,
}

impl GroupTarget {
    pub fn rate(&self) -> Option<f64> {
        (self.measured > 0).then(|| f64::from(self.met) / f64::from(self.measured))
    }

    /// Whether the rate reaches the target's; `None` with nothing measured.
    pub fn achieved(&self) -> Option<bool> {
        self.rate().map(|rate| rate + 1e-9 >= self.target.rate)
    }
}

impl GroupStats {
    pub fn mean_score(&self) -> Option<f64> {
        (self.scored > 0).then(|| self.score_sum / f64::from(self.scored))
    }

    pub(super) fn add(
        &mut self,
        checklist: &Checklist,
        visit: &VisitSummary,
        compliance: Compliance,
    ) {
        for (target, met) in checklist.targets.iter().zip(visit.targets.iter()) {
            let Some(met) = met else { continue };
            let at = self
                .targets
                .iter()
                .position(|t| t.checklist == checklist.id && t.target.name == target.name);
            let at = at.unwrap_or_else(|| {
                self.targets.push(GroupTarget {
                    checklist: checklist.id.clone(),
                    target: target.clone(),
                    measured: 0,
                    met: 0,
                });
                self.targets.len() - 1
            });
            if let Some(t) = self.targets.get_mut(at) {
                t.measured += 1;
                t.met += u32::from(met);
            }
        }
        self.visits += 1;
        self.compliance.add(compliance);
        self.failed_visits += u32::from(visit.result == Some(crate::visit::VisitResult::Fail));
        self.rushed += u32::from(visit.rushed);
        if let Some(score) = visit.score {
            self.score_sum += score;
            self.scored += 1;
        }
    }
}

/// The ISO week of a `YYYY-MM-DD…` date, as `2026-W47`.
pub fn iso_week(date: &str) -> Option<String> {
    let day = NaiveDate::parse_from_str(date.get(..10)?, "%Y-%m-%d").ok()?;
    let week = day.iso_week();
    Some(format!("{}-W{:02}", week.year(), week.week()))
}
