//! Technicians ranked against each target (SPEC section 6): those who meet it first, then
//! by the rate achieved, each with the number of visits the figure rests on.

use crate::checklist::Target;

use super::figures::{ChecklistStats, GroupStats};

/// One technician against one target.
#[derive(Clone, Debug, PartialEq)]
pub struct RankRow {
    pub technician: String,
    pub met: u32,
    /// Visits the figure rests on.
    pub measured: u32,
}

impl RankRow {
    pub fn rate(&self) -> Option<f64> {
        (self.measured > 0).then(|| f64::from(self.met) / f64::from(self.measured))
    }
}

/// The technicians against one target of one checklist, best first.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetRanking {
    pub checklist: String,
    pub target: Target,
    pub rows: Vec<RankRow>,
}

impl TargetRanking {
    /// Whether a row's rate reaches the target.
    pub fn achieved(&self, row: &RankRow) -> Option<bool> {
        row.rate().map(|rate| rate + 1e-9 >= self.target.rate)
    }
}

/// For every target of every checklist, the technicians measured against it: meeting it
/// first, then the higher rate, then the more visits, then by name.
pub fn rank_technicians(
    checklists: &[ChecklistStats],
    technicians: &[GroupStats],
) -> Vec<TargetRanking> {
    let mut rankings = Vec::new();
    for checklist in checklists {
        for target in &checklist.targets {
            let mut rows: Vec<RankRow> = technicians
                .iter()
                .filter_map(|tech| {
                    let t = tech.targets.iter().find(|t| {
                        t.checklist == checklist.id && t.target.name == target.target.name
                    })?;
                    (t.measured > 0).then(|| RankRow {
                        technician: tech.key.clone(),
                        met: t.met,
                        measured: t.measured,
                    })
                })
                .collect();
            let goal = target.target.rate;
            rows.sort_by(|a, b| {
                let rate = |r: &RankRow| r.rate().unwrap_or(0.0);
                let meets = |r: &RankRow| rate(r) + 1e-9 >= goal;
                meets(b)
                    .cmp(&meets(a))
                    .then(rate(b).total_cmp(&rate(a)))
                    .then(b.measured.cmp(&a.measured))
                    .then(a.technician.cmp(&b.technician))
            });
            rankings.push(TargetRanking {
                checklist: checklist.id.clone(),
                target: target.target.clone(),
                rows,
            });
        }
    }
    rankings
}
