//! When summaries are due, as pure functions of time: slots at every multiple of the cadence
//! counted from local midnight in the summary's time zone ("the top of each hour" for 1h), so a
//! daylight-saving change moves the slots with the wall clock (a skipped hour has no slot, a
//! repeated hour has two). The faster cadence applies while the overall status is Red.

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use chrono_tz::Tz;

use crate::config::layout::Layout;
use crate::model::Status;

/// Search bound: two days of minutes covers any cadence up to a day plus a DST shift.
const SEARCH_MINUTES: i64 = 2 * 24 * 60 + 120;

fn is_slot(t: DateTime<Utc>, tz: Tz, cadence_min: i64) -> bool {
    let local = t.with_timezone(&tz);
    let minute_of_day = i64::from(local.hour()) * 60 + i64::from(local.minute());
    local.second() == 0 && minute_of_day % cadence_min == 0
}

fn minutes(cadence: TimeDelta) -> i64 {
    cadence.num_minutes().max(1)
}

/// Every zone offset in use is a multiple of 15 minutes, so a cadence that is one too can be
/// searched in 15-minute steps; others in minutes.
fn step(cadence_min: i64) -> i64 {
    if cadence_min % 15 == 0 { 15 } else { 1 }
}

/// The latest slot at or before `t`.
pub(crate) fn slot_at_or_before(t: DateTime<Utc>, tz: Tz, cadence: TimeDelta) -> DateTime<Utc> {
    let c = minutes(cadence);
    let st = step(c);
    let base = t.timestamp().div_euclid(st * 60) * st * 60;
    let mut k = DateTime::from_timestamp(base, 0).unwrap_or(t);
    for _ in 0..SEARCH_MINUTES / st {
        if is_slot(k, tz, c) {
            return k;
        }
        k -= TimeDelta::minutes(st);
    }
    k
}

/// The first slot strictly after `t`.
pub(crate) fn slot_after(t: DateTime<Utc>, tz: Tz, cadence: TimeDelta) -> DateTime<Utc> {
    let c = minutes(cadence);
    let st = step(c);
    let base = (t.timestamp().div_euclid(st * 60) + 1) * st * 60;
    let mut k = DateTime::from_timestamp(base, 0).unwrap_or(t);
    for _ in 0..SEARCH_MINUTES / st {
        if is_slot(k, tz, c) {
            return k;
        }
        k += TimeDelta::minutes(st);
    }
    k
}

/// The cadence in force for an overall status.
pub(crate) fn cadence(layout: &Layout, overall: Status) -> TimeDelta {
    match (overall, layout.summary.red_cadence) {
        (Status::Red, Some(r)) => r,
        _ => layout.summary.cadence,
    }
}

/// The cadence in force, in words: `hourly`, `every 30m`, `every 1m while RED`.
pub(crate) fn describe(layout: &Layout, overall: Status) -> String {
    let c = cadence(layout, overall);
    let red = overall == Status::Red && layout.summary.red_cadence.is_some();
    match (c == TimeDelta::hours(1), red) {
        (true, false) => "hourly".to_string(),
        (false, false) => format!("every {}", crate::time::format_duration(c)),
        (_, true) => format!("every {} while RED", crate::time::format_duration(c)),
    }
}

/// The time of the next scheduled summary after `t`, none once the event has ended.
pub(crate) fn next_update(
    layout: &Layout,
    t: DateTime<Utc>,
    overall: Status,
) -> Option<DateTime<Utc>> {
    let next = slot_after(t, layout.summary.time_zone, cadence(layout, overall));
    (next <= layout.event.end).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn seoul_hours_and_half_hours() {
        let tz: Tz = "Asia/Seoul".parse().expect("tz");
        let h = TimeDelta::hours(1);
        let t = utc("2026-06-13T20:59:59+09:00");
        assert_eq!(
            slot_at_or_before(t, tz, h),
            utc("2026-06-13T20:00:00+09:00")
        );
        assert_eq!(slot_after(t, tz, h), utc("2026-06-13T21:00:00+09:00"));
        let exact = utc("2026-06-13T21:00:00+09:00");
        assert_eq!(slot_at_or_before(exact, tz, h), exact);
        assert_eq!(slot_after(exact, tz, h), utc("2026-06-13T22:00:00+09:00"));
        assert_eq!(
            slot_after(t, tz, TimeDelta::minutes(30)),
            utc("2026-06-13T21:00:00+09:00")
        );
        assert_eq!(
            slot_after(exact, tz, TimeDelta::minutes(30)),
            utc("2026-06-13T21:30:00+09:00")
        );
    }

    #[test]
    fn half_hour_zone_and_dst_changes() {
        // India is UTC+5:30: the top of the hour is at :30 UTC.
        let tz: Tz = "Asia/Kolkata".parse().expect("tz");
        assert_eq!(
            slot_after(utc("2026-06-13T10:00:00Z"), tz, TimeDelta::hours(1)),
            utc("2026-06-13T10:30:00Z")
        );
        // New York springs forward at 02:00 EST on 2026-03-08: 01:00 EST then 03:00 EDT.
        let ny: Tz = "America/New_York".parse().expect("tz");
        let h = TimeDelta::hours(1);
        let one_est = utc("2026-03-08T01:00:00-05:00");
        assert_eq!(slot_after(one_est, ny, h), utc("2026-03-08T03:00:00-04:00"));
        assert_eq!(slot_after(one_est, ny, h) - one_est, TimeDelta::hours(1));
        // Falls back at 02:00 EDT on 2026-11-01: 01:00 EDT, 01:00 EST, 02:00 EST.
        let a = utc("2026-11-01T01:00:00-04:00");
        let b = slot_after(a, ny, h);
        assert_eq!(b, utc("2026-11-01T01:00:00-05:00"));
        assert_eq!(slot_after(b, ny, h), utc("2026-11-01T02:00:00-05:00"));
    }
}
