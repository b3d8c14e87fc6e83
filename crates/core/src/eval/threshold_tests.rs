//! Table tests of series status: above/below, `for`, hysteresis, provisional, stale, missing.

use chrono::{DateTime, TimeDelta, Utc};

use super::test_support::*;
use super::threshold::series_status;
use crate::config::layout::{Direction, Threshold};
use crate::model::Status::{self, Green, Red, Unknown, Yellow};
use crate::store::{Bucket, SeriesBuf};

const A: Direction = Direction::Above;
const B: Direction = Direction::Below;

fn judge(t: Option<Threshold>, values: &[Option<f64>], now: DateTime<Utc>) -> (Status, String) {
    let mut l = layout();
    l.series[CPU].threshold = t;
    // The thresholds alone: a baseline adds a rule of its own (tested below).
    l.series[CPU].baseline = None;
    let mut buf = SeriesBuf::new(60, 1440);
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            buf.set(buf.index_of(tm(i as i64)), Bucket::Value(*v));
        }
    }
    let st = series_status(&l.series[CPU], &buf, now);
    (st.status, st.reason)
}

#[test]
fn threshold_table() {
    let cpu = th(Some(60.0), Some(85.0), A, 0, 0.0);
    let cpu_for3 = th(Some(60.0), Some(85.0), A, 3, 0.0);
    let cpu_h2 = th(Some(60.0), Some(85.0), A, 0, 2.0);
    let hosts = th(Some(2.0), Some(1.0), B, 0, 0.0);
    let credits = th(Some(30.0), Some(10.0), B, 0, 2.0);
    let n = None;
    #[rustfmt::skip]
    let cases: Vec<(&str, &Threshold, Vec<Option<f64>>, Status)> = vec![
        ("below warn", &cpu, vec![Some(50.0)], Green),
        ("past warn", &cpu, vec![Some(70.0)], Yellow),
        ("past crit", &cpu, vec![Some(90.0)], Red),
        ("crit is strict", &cpu, vec![Some(85.0)], Yellow),
        ("below: at warn is fine", &hosts, vec![Some(2.0)], Green),
        ("below: under warn", &hosts, vec![Some(1.0)], Yellow),
        ("below: under crit", &hosts, vec![Some(0.0)], Red),
        ("for: 2 of 3 buckets", &cpu_for3, vec![Some(90.0), Some(90.0)], Green),
        ("for: 3 buckets", &cpu_for3, vec![Some(50.0), Some(90.0), Some(90.0), Some(90.0)], Red),
        ("for: warn held while crit not", &cpu_for3, vec![Some(90.0), Some(90.0), Some(70.0)], Yellow),
        ("for: a gap restarts the count", &cpu_for3, vec![Some(90.0), n, Some(90.0), Some(90.0)], Green),
        ("for: level kept across a gap", &cpu_for3, vec![Some(90.0), Some(90.0), Some(90.0), n, Some(90.0)], Red),
        ("hysteresis: red holds inside the band", &cpu_h2, vec![Some(90.0), Some(84.0)], Red),
        ("hysteresis: red leaves past the band", &cpu_h2, vec![Some(90.0), Some(83.0)], Yellow),
        ("hysteresis: yellow holds", &cpu_h2, vec![Some(70.0), Some(59.0)], Yellow),
        ("hysteresis: yellow leaves", &cpu_h2, vec![Some(70.0), Some(58.0)], Green),
        ("hysteresis: not entered from below", &cpu_h2, vec![Some(50.0), Some(84.0)], Yellow),
        ("hysteresis: band held for many buckets", &cpu_h2, [Some(90.0)].into_iter().chain([Some(84.0); 30]).collect(), Red),
        ("below hysteresis holds", &credits, vec![Some(5.0), Some(11.0)], Red),
        ("below hysteresis leaves", &credits, vec![Some(5.0), Some(12.0)], Yellow),
        ("all missing", &cpu, vec![n, n], Unknown),
    ];
    for (name, t, values, want) in cases {
        let now = tm(values.len() as i64 + 1);
        let (got, reason) = judge(Some(t.clone()), &values, now);
        assert_eq!(got, want, "{name}: {reason}");
    }
}

#[test]
fn provisional_counts_and_missing_is_never_green() {
    let mut l = layout();
    l.series[CPU].threshold = Some(th(Some(60.0), Some(85.0), A, 0, 0.0));
    let mut buf = SeriesBuf::new(60, 100);
    buf.set(buf.index_of(tm(0)), Bucket::Provisional(90.0));
    let st = series_status(&l.series[CPU], &buf, tm(2));
    assert_eq!((st.status, st.provisional), (Red, true));

    let empty = SeriesBuf::new(60, 100);
    let st = series_status(&l.series[CPU], &empty, tm(2));
    assert_eq!(st.status, Unknown);
    assert_eq!(st.reason, "s.cpu no data");
    l.series[CPU].threshold = None;
    assert_eq!(series_status(&l.series[CPU], &empty, tm(2)).status, Unknown);
    assert_eq!(series_status(&l.series[CPU], &buf, tm(2)).status, Green);
}

#[test]
fn stale_after_two_periods_and_three_minutes() {
    let t = Some(th(Some(60.0), Some(85.0), A, 0, 0.0));
    let v = [Some(50.0)];
    // Newest bucket starts at T0: fresh until T0 + 2 * 60 s + 180 s.
    assert_eq!(judge(t.clone(), &v, tm(5)).0, Green);
    let (s, reason) = judge(t, &v, tm(5) + TimeDelta::seconds(1));
    assert_eq!(s, Unknown);
    assert_eq!(reason, "s.cpu stale: newest value 50 is 4m1s old");
}

#[test]
fn reasons_name_value_threshold_and_duration() {
    let unhealthy = th(Some(0.0), Some(2.0), A, 1, 0.0);
    let mut l = layout();
    l.series[UNHEALTHY].threshold = Some(unhealthy);
    let mut buf = SeriesBuf::new(60, 100);
    buf.set(buf.index_of(tm(0)), Bucket::Value(3.0));
    let st = series_status(&l.series[UNHEALTHY], &buf, tm(2));
    assert_eq!(st.reason, "s.unhealthy 3 > crit 2 for 1m");
    let (_, r) = judge(
        Some(th(Some(60.0), Some(85.0), A, 3, 0.0)),
        &[Some(90.0)],
        tm(2),
    );
    assert_eq!(r, "s.cpu 90 > crit 85, not yet for 3m");
    let (_, r) = judge(
        Some(th(Some(60.0), Some(85.0), A, 0, 2.0)),
        &[Some(90.0), Some(84.0)],
        tm(3),
    );
    assert_eq!(r, "s.cpu 84 within hysteresis 2 of crit 85");
}

#[test]
fn a_breach_not_yet_held_for_its_for_is_pending_never_rolled_up() {
    let cpu_for3 = th(Some(60.0), Some(85.0), A, 3, 0.0);
    let pending = |values: &[Option<f64>]| {
        let mut l = layout();
        l.series[CPU].threshold = Some(cpu_for3.clone());
        let mut buf = SeriesBuf::new(60, 1440);
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                buf.set(buf.index_of(tm(i as i64)), Bucket::Value(*v));
            }
        }
        let st = series_status(&l.series[CPU], &buf, tm(values.len() as i64 + 1));
        (st.status, st.pending)
    };
    assert_eq!(pending(&[Some(50.0), Some(90.0)]), (Green, Some(Red)));
    assert_eq!(pending(&[Some(50.0), Some(70.0)]), (Green, Some(Yellow)));
    // Yellow held, crit reached but not for long enough: yellow, heading for red.
    assert_eq!(
        pending(&[Some(70.0), Some(70.0), Some(70.0), Some(90.0)]),
        (Yellow, Some(Red))
    );
    // Held: nothing pending. Under the threshold: nothing pending.
    assert_eq!(pending(&[Some(90.0), Some(90.0), Some(90.0)]), (Red, None));
    assert_eq!(pending(&[Some(50.0)]), (Green, None));
}

#[test]
fn a_lower_is_worse_series_far_under_its_baseline_is_not_green() {
    let mut l = layout();
    l.series[CPU].threshold = Some(th(Some(10.0), Some(3.0), B, 0, 1.0));
    l.series[CPU].baseline = Some(144.0);
    let mut buf = SeriesBuf::new(60, 100);
    buf.set(buf.index_of(tm(0)), Bucket::Value(19.5));
    let st = series_status(&l.series[CPU], &buf, tm(2));
    assert_eq!(
        (st.status, st.reason.as_str()),
        (Yellow, "s.cpu 19.5 under half its baseline 144")
    );
    buf.set(buf.index_of(tm(1)), Bucket::Value(80.0));
    assert_eq!(series_status(&l.series[CPU], &buf, tm(3)).status, Green);
    // An "above" series low against its baseline is simply quiet.
    l.series[CPU].threshold = Some(th(Some(60.0), Some(85.0), A, 0, 0.0));
    buf.set(buf.index_of(tm(2)), Bucket::Value(1.0));
    assert_eq!(series_status(&l.series[CPU], &buf, tm(4)).status, Green);
}

#[test]
fn reasons_in_words_name_the_series_and_its_unit() {
    use crate::config::layout::Unit;
    let mut l = layout();
    l.series[CPU].threshold = Some(th(Some(20.0), Some(60.0), A, 2, 1.0));
    l.series[CPU].baseline = None;
    l.series[CPU].label = "WAF block ratio".into();
    l.series[CPU].unit = Unit::Percent;
    let mut buf = SeriesBuf::new(60, 100);
    buf.set(buf.index_of(tm(0)), Bucket::Value(36.879));
    let st = series_status(&l.series[CPU], &buf, tm(2));
    assert_eq!(st.words, "WAF block ratio 36.9% above 20%, not yet for 2m");
    buf.set(buf.index_of(tm(1)), Bucket::Value(36.879));
    let st = series_status(&l.series[CPU], &buf, tm(3));
    assert_eq!(st.reason, "s.cpu 36.879 > warn 20 for 2m");
    assert_eq!(st.words, "WAF block ratio 36.9% above 20% for 2m");
}
