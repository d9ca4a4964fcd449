//! What needs a supervisor now: unresolved visits only (not approved, or changed since the
//! approval) that have a problem — a damaged log, a rejection, a follow-up, a change since
//! the review, or, unreviewed, a fail, a rush or an abandonment — worst first, then newest.
//! Every row says why.

use std::fmt::Write as _;

use crate::log::review::Verdict;
use crate::store::index::summary::{IntegrityState, VisitStatus, VisitSummary};
use crate::visit::VisitResult;

use super::words::Words;
use super::{esc, pct};

/// One visit that needs attention, with its reasons (never empty) and how bad it is.
pub struct Attention<'a> {
    pub visit: &'a VisitSummary,
    pub reasons: Vec<String>,
    pub severity: u8,
}

/// The unresolved visits with a problem, worst first, then newest.
pub fn needing_attention<'a>(visits: &[&'a VisitSummary], w: &Words) -> Vec<Attention<'a>> {
    let mut rows: Vec<Attention> = visits.iter().filter_map(|v| attention(v, w)).collect();
    rows.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| b.visit.started_at.cmp(&a.visit.started_at))
            .then_with(|| a.visit.id.cmp(&b.visit.id))
    });
    rows
}

fn attention<'a>(v: &'a VisitSummary, w: &Words) -> Option<Attention<'a>> {
    let verdict = v.verdict();
    let current = !v.reviews.outdated;
    if verdict == Some(Verdict::Approved) && current {
        return None;
    }
    let mut reasons: Vec<(u8, String)> = Vec::new();
    match v.integrity.state() {
        IntegrityState::Damaged => reasons.push((9, w.why_damaged.to_owned())),
        IntegrityState::Torn => reasons.push((3, w.why_torn.to_owned())),
        IntegrityState::Clean => {}
    }
    if verdict.is_some() && !current {
        reasons.push((7, w.why_changed.to_owned()));
    }
    match verdict {
        Some(Verdict::Rejected) if current => {
            reasons.push((8, with_comment(w.why_rejected, v, w)));
        }
        Some(Verdict::FollowUp) if current => {
            reasons.push((5, with_comment(w.why_follow_up, v, w)));
        }
        _ => {}
    }
    // Problems a supervisor has not looked at yet (or not since the visit changed).
    if verdict.is_none() || !current {
        if v.status == VisitStatus::Finished && v.result == Some(VisitResult::Fail) {
            reasons.push((6, w.why_failed(v.failed)));
        }
        if v.rushed && v.status != VisitStatus::Open {
            reasons.push((4, w.why_rushed.to_owned()));
        }
        if v.status == VisitStatus::Abandoned {
            reasons.push((2, w.why_abandoned.to_owned()));
        }
    }
    let severity = reasons.iter().map(|(s, _)| *s).max()?;
    reasons.sort_by_key(|r| std::cmp::Reverse(r.0));
    Some(Attention {
        visit: v,
        reasons: reasons.into_iter().map(|(_, r)| r).collect(),
        severity,
    })
}

/// Comments longer than this are cut in the "why" (the visit sheet has them whole).
const COMMENT_CHARS: usize = 60;

/// `rejected: “the photo shows another unit”`: the reason with the latest comment.
fn with_comment(reason: &str, v: &VisitSummary, w: &Words) -> String {
    let comment = v.reviews.latest().map_or("", |r| r.comment.trim());
    if comment.is_empty() {
        return reason.to_owned();
    }
    let mut cut: String = comment.chars().take(COMMENT_CHARS).collect();
    if cut.len() < comment.len() {
        cut.push('…');
    }
    format!("{reason}{}“{cut}”", w.colon())
}

/// The verdict as the report words it, `(outdated)` after one made before a change.
pub fn verdict_word(v: &VisitSummary, w: &Words) -> String {
    let word = match v.verdict() {
        None => return w.unreviewed.to_owned(),
        Some(Verdict::Approved) => w.approved,
        Some(Verdict::FollowUp) => w.follow_up,
        Some(Verdict::Rejected) => w.rejected,
    };
    if v.reviews.outdated {
        format!("{word} ({})", w.outdated)
    } else {
        word.to_owned()
    }
}

/// The table of `rows`; `id` names it for the browser test and links.
pub fn table(html: &mut String, rows: &[Attention], w: &Words, class: &str) {
    let _ = writeln!(
        html,
        "<table class=\"attention {class}\">\n<colgroup><col class=\"c-date\"><col class=\"c-visit\"><col class=\"c-tech\"><col class=\"c-list\"><col class=\"c-score\"><col class=\"c-why\"><col class=\"c-verdict\"><col class=\"c-receipt\"></colgroup>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"n\">{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        esc(w.started),
        esc(w.visit),
        esc(w.technician),
        esc(w.checklist),
        esc(w.score),
        esc(w.why),
        esc(w.verdict),
        esc(w.receipt)
    );
    for row in rows {
        let v = row.visit;
        let started = v
            .started_at
            .get(..16)
            .unwrap_or(&v.started_at)
            .replace('T', " ");
        // The short table leaves the id out (the receipt names the visit as well).
        let id = if class == "full" {
            format!("<br><small>{}</small>", esc(&v.id))
        } else {
            String::new()
        };
        let _ = writeln!(
            html,
            "<tr class=\"sev{}\"><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"why\">{}</td><td>{}</td><td class=\"code\">{}</td></tr>",
            row.severity,
            esc(&started),
            esc(&v.name()),
            id,
            esc(&v.technician),
            esc(&v.checklist.id),
            pct(v.score),
            esc(&row.reasons.join(w.list_separator())),
            esc(&verdict_word(v, w)),
            esc(v.receipt.as_deref().unwrap_or("—"))
        );
    }
    html.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::store::index::summary::Reviews;

    fn visit(id: &str, day: &str, result: VisitResult) -> VisitSummary {
        VisitSummary {
            id: id.into(),
            started_at: format!("{day}T10:00:00.000+08:00"),
            status: VisitStatus::Finished,
            result: Some(result),
            failed: 2,
            ..VisitSummary::default()
        }
    }

    fn review(verdict: Verdict) -> crate::log::review::Review {
        crate::log::review::Review {
            seq: 0,
            at: String::new(),
            visit: String::new(),
            visit_hash: String::new(),
            reviewer: "wang".into(),
            verdict,
            comment: String::new(),
            item: None,
            hash: String::new(),
        }
    }

    #[test]
    fn only_unresolved_visits_worst_then_newest_each_with_a_reason() {
        let w = super::super::words::words(Lang::En);
        let old_fail = visit("a", "2026-11-01", VisitResult::Fail);
        let new_fail = visit("b", "2026-11-20", VisitResult::Fail);
        let passed = visit("c", "2026-11-21", VisitResult::Pass);
        let mut approved_fail = visit("d", "2026-11-22", VisitResult::Fail);
        approved_fail.reviews = Reviews {
            all: vec![review(Verdict::Approved)],
            ..Reviews::default()
        };
        let mut rejected = visit("e", "2026-10-01", VisitResult::Pass);
        rejected.reviews = Reviews {
            all: vec![review(Verdict::Rejected)],
            ..Reviews::default()
        };
        let mut changed = visit("f", "2026-10-02", VisitResult::Pass);
        changed.reviews = Reviews {
            all: vec![review(Verdict::Approved)],
            outdated: true,
            ..Reviews::default()
        };
        let all = [
            &old_fail,
            &new_fail,
            &passed,
            &approved_fail,
            &rejected,
            &changed,
        ];
        let rows = needing_attention(&all, w);
        let ids: Vec<&str> = rows.iter().map(|r| r.visit.id.as_str()).collect();
        assert_eq!(ids, ["e", "f", "b", "a"]);
        assert!(rows.iter().all(|r| !r.reasons.is_empty()));
        assert_eq!(rows[2].reasons, ["failed (2 items)"]);
    }
}
