//! Unit tests of the `metric_window` module, kept beside it.

use super::*;
use crate::testing::at;

#[test]
fn window_is_period_aligned_half_open_with_three_bucket_overlap() {
    let (s, e) = window(at("2026-06-13T11:05:07Z"), 60);
    assert_eq!(e, at("2026-06-13T11:05:00Z"));
    assert_eq!(s, at("2026-06-13T11:02:00Z"));
    let (s, e) = window(at("2026-06-13T11:05:00Z"), 300);
    assert_eq!(
        (s, e),
        (at("2026-06-13T10:50:00Z"), at("2026-06-13T11:05:00Z"))
    );
}

#[test]
fn a_region_mixing_periods_ends_on_the_finest_and_starts_on_the_coarsest() {
    let plan = |periods: &[u32]| RegionQueries {
        region: "eu-west-1".into(),
        period: periods.iter().copied().max().unwrap_or(60),
        finest: periods.iter().copied().min().unwrap_or(60),
        series: vec![],
        queries: vec![],
    };
    let now = at("2026-06-13T11:04:30Z");
    // One period: the window of old.
    assert_eq!(
        region_window(now, &plan(&[60, 60]), TimeDelta::zero()),
        window(now, 60)
    );
    assert_eq!(
        region_window(now, &plan(&[60]), FIRST_POLL_HISTORY),
        (at("2026-06-13T08:04:00Z"), at("2026-06-13T11:04:00Z"))
    );
    // Minutes beside five minutes: up to the newest whole minute, from a 5-minute boundary.
    assert_eq!(
        region_window(now, &plan(&[60, 300]), TimeDelta::zero()),
        (at("2026-06-13T10:45:00Z"), at("2026-06-13T11:04:00Z"))
    );
    assert_eq!(
        region_window(now, &plan(&[60, 300]), FIRST_POLL_HISTORY),
        (at("2026-06-13T08:00:00Z"), at("2026-06-13T11:04:00Z"))
    );
    // After a gap, back to the last settled 5-minute bucket.
    assert_eq!(
        region_window_since(now, &plan(&[60, 300]), Some(at("2026-06-13T10:30:00Z"))),
        (at("2026-06-13T10:20:00Z"), at("2026-06-13T11:04:00Z"))
    );
    assert_eq!(
        region_window_since(now, &plan(&[60, 300]), None),
        (at("2026-06-13T08:00:00Z"), at("2026-06-13T11:04:00Z"))
    );
}

#[test]
fn after_a_gap_the_window_reaches_back_to_the_last_settled_bucket() {
    let one_minute = RegionQueries {
        region: "eu-west-1".into(),
        period: 60,
        finest: 60,
        series: vec![],
        queries: vec![],
    };
    let now = at("2026-06-13T11:20:07Z");
    // Polled a minute ago: the usual three buckets.
    let last = Some(at("2026-06-13T11:19:00Z"));
    assert_eq!(region_window_since(now, &one_minute, last), window(now, 60));
    // The last success ended at 11:09: 11:06 was asked for three times, 11:07 on is not
    // settled.
    let last = Some(at("2026-06-13T11:09:00Z"));
    assert_eq!(
        region_window_since(now, &one_minute, last),
        (at("2026-06-13T11:07:00Z"), at("2026-06-13T11:20:00Z"))
    );
    // Never more than the first poll's history, which is also what a session without a
    // success asks for.
    let last = Some(at("2026-06-13T01:00:00Z"));
    let whole = (at("2026-06-13T08:20:00Z"), at("2026-06-13T11:20:00Z"));
    assert_eq!(region_window_since(now, &one_minute, last), whole);
    assert_eq!(region_window_since(now, &one_minute, None), whole);
    // A clock that went back: never less than the usual window.
    let last = Some(at("2026-06-13T12:00:00Z"));
    assert_eq!(region_window_since(now, &one_minute, last), window(now, 60));
}
