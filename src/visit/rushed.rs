//! Spotting rushed visits ("pencil-whipping", SPEC section 6): the median time between
//! answers under a threshold, or a burst of more answers than allowed within a few seconds.

use crate::config::RushedThresholds;

/// Whether answers given `gaps_ms` apart (consecutive, in log order) were rushed.
pub fn is_rushed(gaps_ms: &[u32], thresholds: &RushedThresholds) -> bool {
    median_below(gaps_ms, thresholds.median_seconds) || has_burst(gaps_ms, thresholds)
}

/// The median gap in seconds, `None` with fewer than two answers.
pub fn median_seconds(gaps_ms: &[u32]) -> Option<f64> {
    if gaps_ms.is_empty() {
        return None;
    }
    // Sorted in a buffer on the stack when it fits: this runs for every visit listed.
    let mut stack = [0u32; 128];
    let mut heap = Vec::new();
    let sorted: &mut [u32] = match stack.get_mut(..gaps_ms.len()) {
        Some(room) => room,
        None => {
            heap.resize(gaps_ms.len(), 0);
            &mut heap
        }
    };
    sorted.copy_from_slice(gaps_ms);
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    let median_ms = if sorted.len() % 2 == 1 {
        f64::from(sorted[mid])
    } else {
        (f64::from(sorted[mid - 1]) + f64::from(sorted[mid])) / 2.0
    };
    Some(median_ms / 1000.0)
}

fn median_below(gaps_ms: &[u32], seconds: f64) -> bool {
    median_seconds(gaps_ms).is_some_and(|median| median < seconds)
}

/// More than `burst_answers` answers within `burst_seconds`: some `burst_answers + 1`
/// consecutive answers span at most that time, i.e. some `burst_answers` consecutive gaps
/// add up to at most it.
fn has_burst(gaps_ms: &[u32], thresholds: &RushedThresholds) -> bool {
    let window = thresholds.burst_answers;
    if window == 0 || gaps_ms.len() < window {
        return false;
    }
    let limit_ms = thresholds.burst_seconds * 1000.0;
    let mut sum: u64 = gaps_ms.iter().take(window).map(|&g| u64::from(g)).sum();
    if sum as f64 <= limit_ms {
        return true;
    }
    for (out, new) in gaps_ms.iter().zip(gaps_ms.iter().skip(window)) {
        sum = sum + u64::from(*new) - u64::from(*out);
        if sum as f64 <= limit_ms {
            return true;
        }
    }
    false
}

/// The answers (item, ms) given in a rushed stretch: less than the median threshold after
/// the one before, or within a burst of more answers than allowed in a few seconds.
pub fn rushed_answers<'a>(
    events: &'a [crate::log::Event],
    thresholds: &RushedThresholds,
) -> Vec<(&'a str, u64)> {
    use crate::log::EventKind;
    let answers: Vec<(&str, u64)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Answered { item, .. } => Some((item.as_str(), e.ms)),
            _ => None,
        })
        .collect();
    let mut flagged = vec![false; answers.len()];
    let fast_ms = thresholds.median_seconds * 1000.0;
    for i in 1..answers.len() {
        if ((answers[i].1.saturating_sub(answers[i - 1].1)) as f64) < fast_ms {
            flagged[i] = true;
        }
    }
    let window = thresholds.burst_answers;
    if window > 0 {
        let limit = thresholds.burst_seconds * 1000.0;
        for start in 0..answers.len().saturating_sub(window) {
            let span = answers[start + window].1.saturating_sub(answers[start].1);
            if (span as f64) <= limit {
                for flag in &mut flagged[start..=start + window] {
                    *flag = true;
                }
            }
        }
    }
    answers
        .into_iter()
        .zip(flagged)
        .filter_map(|(answer, rushed)| rushed.then_some(answer))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default() -> RushedThresholds {
        RushedThresholds::default()
    }

    #[test]
    fn median_under_three_seconds_is_rushed() {
        assert!(is_rushed(&[2_000, 2_500, 2_900], &default()));
        assert!(!is_rushed(&[3_000, 3_000, 3_000], &default()));
        // Even count: the mean of the middle two (2.5 s and 3.5 s gives 3.0 s, not under).
        assert_eq!(median_seconds(&[1_000, 2_500, 3_500, 60_000]), Some(3.0));
        assert!(!is_rushed(&[60_000, 2_500, 3_500, 60_000], &default()));
    }

    #[test]
    fn more_than_five_answers_within_ten_seconds_is_rushed() {
        // Six answers 2 s apart span 10 s: rushed, though the median is slow overall.
        let mut gaps = vec![60_000; 10];
        gaps.extend([2_000; 5]);
        gaps.extend([60_000; 10]);
        assert!(is_rushed(&gaps, &default()));
        // Six answers spanning 10.005 s are not; five answers in 2 s are not.
        let mut gaps = vec![60_000; 10];
        gaps.extend([2_001; 5]);
        gaps.extend([60_000; 10]);
        assert!(!is_rushed(&gaps, &default()));
        let mut gaps = vec![60_000; 10];
        gaps.extend([500; 4]);
        gaps.extend([60_000; 10]);
        assert!(!is_rushed(&gaps, &default()));
    }

    #[test]
    fn too_few_answers_are_never_rushed() {
        assert!(!is_rushed(&[], &default()));
        assert_eq!(median_seconds(&[]), None);
        // Longer than the stack buffer: sorted on the heap, same answer.
        let many: Vec<u32> = (0..301).rev().map(|n| n * 1000).collect();
        assert_eq!(median_seconds(&many), Some(150.0));
        assert!(is_rushed(&[100], &default()));
    }

    #[test]
    fn thresholds_come_from_the_config() {
        let strict = RushedThresholds {
            median_seconds: 10.0,
            burst_answers: 2,
            burst_seconds: 1.0,
        };
        assert!(is_rushed(&[5_000, 5_000], &strict));
        let lax = RushedThresholds {
            median_seconds: 0.5,
            burst_answers: 3,
            burst_seconds: 1.0,
        };
        assert!(!is_rushed(&[600, 600, 600], &lax));
        assert!(is_rushed(&[900, 300, 100, 500, 900], &lax));
    }
}
