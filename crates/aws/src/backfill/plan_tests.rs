//! Unit tests of the `plan` module, kept beside it.

use super::*;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

#[test]
fn period_follows_the_age_of_the_data() {
    let now = at("2026-06-30T00:00:00Z");
    assert_eq!(period_for(60, now - TimeDelta::hours(1), now), 60);
    assert_eq!(period_for(10, now - TimeDelta::hours(1), now), 10);
    assert_eq!(period_for(10, now - TimeDelta::hours(4), now), 60);
    assert_eq!(period_for(60, now - TimeDelta::days(14), now), 60);
    assert_eq!(period_for(60, now - TimeDelta::days(16), now), 300);
    assert_eq!(period_for(600, now - TimeDelta::days(16), now), 600);
    assert_eq!(period_for(60, now - TimeDelta::days(64), now), 3600);
}

#[test]
fn windows_stay_under_the_datapoint_limit_and_cover_the_span() {
    let now = at("2026-06-30T00:00:00Z");
    let from = at("2026-06-13T10:00:30Z");
    let to = at("2026-06-20T10:00:00Z");
    let periods = vec![60; 400];
    let w = windows(from, to, now, &periods);
    assert!(w.len() > 1, "{}", w.len());
    // 16+ days old at the start: 5-minute data; newer windows go back to 1 minute.
    assert_eq!(w[0].periods[0], 300);
    assert_eq!(w.last().expect("last").periods[0], 60);
    assert_eq!(w[0].start, at("2026-06-13T10:00:00Z"));
    assert_eq!(w.last().expect("last").end, to);
    for pair in w.windows(2) {
        assert_eq!(pair[0].end, pair[1].start, "contiguous");
    }
    for x in &w {
        assert!(x.datapoints() <= MAX_DATAPOINTS_PER_CALL, "{x:?}");
        let big = i64::from(*x.periods.iter().max().expect("p"));
        assert_eq!(x.start.timestamp() % big, 0, "aligned {x:?}");
    }
    // 400 queries at 60 s: 252 buckets per call at most.
    let one_min: Vec<&Window> = w.iter().filter(|x| x.periods[0] == 60).collect();
    assert!(
        one_min
            .iter()
            .all(|x| (x.end - x.start).num_seconds() <= 252 * 60)
    );
}

#[test]
fn a_short_span_is_one_window() {
    let now = at("2026-06-13T15:00:00Z");
    let w = windows(
        at("2026-06-13T11:00:00Z"),
        at("2026-06-13T12:00:00Z"),
        now,
        &[60, 60],
    );
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].datapoints(), 120);
}

#[test]
fn no_window_reaches_past_to() {
    let now = at("2026-06-13T21:00:00Z");
    // --to 19:17 with 5-minute series: the last whole bucket is [19:10, 19:15).
    let w = windows(
        at("2026-06-13T18:00:00Z"),
        at("2026-06-13T19:17:00Z"),
        now,
        &[300, 300],
    );
    assert_eq!(w.last().expect("a window").end, at("2026-06-13T19:15:00Z"));
    // Minute series with one 5-minute series: minute buckets run up to 19:17.
    let w = windows(
        at("2026-06-13T18:00:00Z"),
        at("2026-06-13T19:17:30Z"),
        now,
        &[60, 300],
    );
    assert_eq!(w.last().expect("a window").end, at("2026-06-13T19:17:00Z"));
    // A span shorter than one bucket has no window at all.
    let w = windows(
        at("2026-06-13T19:15:00Z"),
        at("2026-06-13T19:17:00Z"),
        now,
        &[300],
    );
    assert!(w.is_empty(), "{w:?}");
}
