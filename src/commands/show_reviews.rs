//! The review trail `show` prints after a visit's answers (SPEC section 5: `show` in every
//! format includes the reviews): each review's time, reviewer, verdict, flagged item,
//! comment, and whether the visit changed after it (outdated).

use std::io::Write;

use serde_json::{Value, json};

use crate::lang::Lang;
use crate::log::review::{Review, Verdict};
use crate::present::sanitize;
use crate::store::read::LoadedVisit;

/// One review as shown: the review, and whether the visit's log changed after it.
pub struct Shown<'a> {
    pub review: &'a Review,
    pub outdated: bool,
}

/// The reviews of `visit`, oldest first, each marked outdated when the visit's last line is
/// no longer the one it was made against.
pub fn shown<'a>(visit: &LoadedVisit, reviews: &'a [Review]) -> Vec<Shown<'a>> {
    let last = visit.events.last().map(|e| e.hash.as_str());
    reviews
        .iter()
        .map(|review| Shown {
            review,
            outdated: last.is_some_and(|hash| hash != review.visit_hash),
        })
        .collect()
}

struct Words {
    reviews: &'static str,
    none: &'static str,
    at: &'static str,
    reviewer: &'static str,
    verdict: &'static str,
    item: &'static str,
    comment: &'static str,
    outdated: &'static str,
    approved: &'static str,
    follow_up: &'static str,
    rejected: &'static str,
}

const EN: Words = Words {
    reviews: "Reviews",
    none: "not reviewed yet",
    at: "At",
    reviewer: "Reviewer",
    verdict: "Verdict",
    item: "Item",
    comment: "Comment",
    outdated: "outdated: the visit changed since",
    approved: "approved",
    follow_up: "follow-up",
    rejected: "rejected",
};

const ZH_CN: Words = Words {
    reviews: "审核记录",
    none: "尚未审核",
    at: "时间",
    reviewer: "审核人",
    verdict: "结论",
    item: "检查项",
    comment: "意见",
    outdated: "已过时：审核后记录有改动",
    approved: "通过",
    follow_up: "需整改",
    rejected: "驳回",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::ZhCn => &ZH_CN,
    }
}

fn verdict_word(w: &Words, verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Approved => w.approved,
        Verdict::FollowUp => w.follow_up,
        Verdict::Rejected => w.rejected,
    }
}

/// `Reviews` and a line a review: `2026-11-25T09:00 wang · follow-up · item drain: "..."`.
pub fn write_text(reviews: &[Shown], lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let w = words(lang);
    writeln!(out, "\n{}", w.reviews)?;
    if reviews.is_empty() {
        return writeln!(out, "  {}", w.none);
    }
    for Shown { review, outdated } in reviews {
        let mut line = format!(
            "  {}  {}  {}",
            sanitize(&review.at),
            sanitize(&review.reviewer),
            verdict_word(w, review.verdict)
        );
        if let Some(item) = &review.item {
            line.push_str(&format!("  {} {}", w.item, sanitize(item)));
        }
        if !review.comment.is_empty() {
            line.push_str(&format!("  “{}”", sanitize(&review.comment)));
        }
        if *outdated {
            line.push_str(&format!("  ({})", w.outdated));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// A Markdown table of the reviews.
pub fn write_markdown(reviews: &[Shown], lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let w = words(lang);
    writeln!(out, "\n## {}\n", w.reviews)?;
    if reviews.is_empty() {
        return writeln!(out, "{}", w.none);
    }
    writeln!(
        out,
        "| {} | {} | {} | {} | {} | |\n|---|---|---|---|---|---|",
        w.at, w.reviewer, w.verdict, w.item, w.comment
    )?;
    let cell = |text: &str| sanitize(text).replace('|', "\\|").replace('\n', " ");
    for Shown { review, outdated } in reviews {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&review.at),
            cell(&review.reviewer),
            verdict_word(w, review.verdict),
            cell(review.item.as_deref().unwrap_or("")),
            cell(&review.comment),
            if *outdated { w.outdated } else { "" }
        )?;
    }
    Ok(())
}

/// The reviews for programs: every member, verdicts by their log names.
pub fn as_json(reviews: &[Shown]) -> Value {
    Value::Array(
        reviews
            .iter()
            .map(|Shown { review, outdated }| {
                json!({
                    "at": review.at,
                    "reviewer": review.reviewer,
                    "verdict": review.verdict.name(),
                    "item": review.item,
                    "comment": review.comment,
                    "outdated": outdated,
                })
            })
            .collect(),
    )
}
