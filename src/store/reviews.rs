//! Where a data folder keeps its review logs: `<data>/reviews/<visit-id>.jsonl`, one per
//! visit, never the visit's own log. The format is `crate::log::review`'s.

use std::path::Path;

use crate::log::review::{
    NewReview, Review, ReviewError, ReviewLog, append_review_to, read_review_file,
};

use super::layout::review_path;

/// Appends a review of a visit to this data folder's review log of it.
pub fn append_review(data: &Path, review: &NewReview) -> Result<Review, ReviewError> {
    let path = review_path(data, review.visit)
        .ok_or_else(|| ReviewError::BadVisitId(review.visit.to_owned()))?;
    append_review_to(&path, review)
}

/// Reads the reviews of a visit in one data folder; no file is no review.
pub fn read_reviews(data: &Path, visit: &str) -> Result<ReviewLog, ReviewError> {
    let path = review_path(data, visit).ok_or_else(|| ReviewError::BadVisitId(visit.to_owned()))?;
    read_review_file(&path, visit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::review::Verdict;

    const VISIT: &str = "01JD0000000000000000000000";

    fn new(
        verdict: Verdict,
        comment: &'static str,
        item: Option<&'static str>,
    ) -> NewReview<'static> {
        NewReview {
            visit: VISIT,
            visit_hash: "ab00000000000000000000000000000000000000000000000000000000000000",
            reviewer: "li.si",
            verdict,
            comment,
            item,
        }
    }

    #[test]
    fn writes_the_contract_line_and_reads_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let first =
            append_review(dir.path(), &new(Verdict::FollowUp, "drain?", Some("drain"))).unwrap();
        let second = append_review(dir.path(), &new(Verdict::Approved, "", None)).unwrap();
        assert_eq!((first.seq, second.seq), (0, 1));
        let path = review_path(dir.path(), VISIT).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let line = text.lines().next().unwrap();
        let expected_start = format!(
            r#"{{"seq":0,"event":"review","at":"{}","visit":"{VISIT}","visit_hash":"ab0000"#,
            first.at
        );
        assert!(line.starts_with(&expected_start), "{line}");
        assert!(
            line.ends_with(&format!(
                r#","verdict":"follow_up","comment":"drain?","item":"drain","hash":"{}"}}"#,
                first.hash
            )),
            "{line}"
        );
        let log = read_reviews(dir.path(), VISIT).unwrap();
        assert!(log.integrity.is_clean(), "{:?}", log.integrity);
        assert_eq!(log.reviews, vec![first, second]);
    }

    #[test]
    fn refuses_what_the_contract_forbids() {
        let dir = tempfile::tempdir().unwrap();
        let mut bad = new(Verdict::Approved, "", Some("drain"));
        assert!(matches!(
            append_review(dir.path(), &bad),
            Err(ReviewError::ItemNotFollowUp(_))
        ));
        bad.item = None;
        bad.visit = "../../x";
        assert!(matches!(
            append_review(dir.path(), &bad),
            Err(ReviewError::BadVisitId(_))
        ));
        assert!(matches!(
            append_review(dir.path(), &new(Verdict::Rejected, " ", None)),
            Err(ReviewError::NoComment(_))
        ));
        assert!(!dir.path().join("reviews").exists());
    }

    #[test]
    fn a_review_of_another_visit_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        append_review(dir.path(), &new(Verdict::Approved, "ok", None)).unwrap();
        let path = review_path(dir.path(), VISIT).unwrap();
        let log = read_review_file(&path, "01JD0000000000000000000001").unwrap();
        assert!(log.reviews.is_empty());
        assert_eq!(log.integrity.problems.len(), 1);
        assert_eq!(log.integrity.problems[0].line, 1);
    }
}
