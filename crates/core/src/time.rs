//! Time helpers shared by the command line, the views and the timeline: durations (`1h30m`),
//! T-minus/T-plus labels, and points in time given relative to T0 (`T-60m`) or on the event's
//! own clock (`20:05`).

use std::fmt::Write as _;

use chrono::{DateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

pub(crate) use crate::config::parse_duration;

/// `15m`, `1h30m`, `45s`: the shortest exact form.
pub fn format_duration(d: TimeDelta) -> String {
    let mut s = d.num_seconds().abs();
    let mut out = String::new();
    if d < TimeDelta::zero() {
        out.push('-');
    }
    if s == 0 {
        return "0s".into();
    }
    for (unit, secs) in [("h", 3600), ("m", 60), ("s", 1)] {
        if s >= secs {
            let _ = write!(out, "{}{unit}", s / secs);
            s %= secs;
        }
    }
    out
}

/// Whether `a` and `b` fall on different days in `tz`: times between them then need a date.
pub fn crosses_day(a: DateTime<Utc>, b: DateTime<Utc>, tz: Tz) -> bool {
    a.with_timezone(&tz).date_naive() != b.with_timezone(&tz).date_naive()
}

/// `T-05:12`, `T+07:42`, `T+1:02:03` relative to T0, to the second.
pub fn t_label(at: DateTime<Utc>, t0: DateTime<Utc>) -> String {
    let d = at - t0;
    let sign = if d < TimeDelta::zero() { '-' } else { '+' };
    let s = d.num_seconds().abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("T{sign}{h}:{m:02}:{sec:02}")
    } else {
        format!("T{sign}{m:02}:{sec:02}")
    }
}

/// `05:10` (minutes:seconds) or `1:02:03` (hours:minutes:seconds), as `t_label` prints them.
fn parse_clock_offset(text: &str) -> Option<TimeDelta> {
    let parts: Vec<i64> = text
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let in_range = |v: &i64| (0..60).contains(v);
    match parts.as_slice() {
        [m, s] if *m >= 0 && in_range(s) => Some(TimeDelta::seconds(m * 60 + s)),
        [h, m, s] if *h >= 0 && in_range(m) && in_range(s) => {
            Some(TimeDelta::seconds(h * 3600 + m * 60 + s))
        }
        _ => None,
    }
}

/// A point in time as an operator types it: `T0`, `T-60m`, `T+3h`, `-60m`, `+1h30m`, the
/// labels warroom prints (`T+09:40`, `T+1:22:03`), `2026-06-14 20:05` or `2026-06-14 20:05:30`
/// on the event's own clock, `20:05` or `20:05:30` on it the day of T0, or RFC 3339.
pub fn parse_time_spec(text: &str, t0: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, String> {
    parse_time_spec_near(text, t0, t0, tz)
}

/// [`parse_time_spec`], with a time of day alone (`20:05`) taken on the day of `near` on the
/// event's clock (a replay's position: a multi-day recording's "14:00" is that day's).
pub fn parse_time_spec_near(
    text: &str,
    t0: DateTime<Utc>,
    near: DateTime<Utc>,
    tz: Tz,
) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    let rel = t
        .strip_prefix('T')
        .or_else(|| t.starts_with(['+', '-']).then_some(t));
    if let Some(rel) = rel {
        if rel == "0" || rel.is_empty() {
            return Ok(t0);
        }
        let (sign, rest) = match rel.split_at(1) {
            ("+", r) => (1, r),
            ("-", r) => (-1, r),
            _ => return Err(format!("\"{text}\": expected T0, T-60m or T+1h30m")),
        };
        let d = parse_duration(rest)
            .or_else(|| parse_clock_offset(rest))
            .ok_or_else(|| format!("\"{text}\": bad duration \"{rest}\""))?;
        return Ok(if sign > 0 { t0 + d } else { t0 - d });
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
    }
    let local = |naive: chrono::NaiveDateTime| {
        tz.from_local_datetime(&naive)
            .earliest()
            .map(|d| d.with_timezone(&Utc))
            .ok_or_else(|| format!("\"{text}\" does not exist in {tz}"))
    };
    // `21:3` is refused, not read as 21:03: minutes and seconds have two digits.
    let time_part = t.rsplit(' ').next().unwrap_or(t);
    let two_digits = time_part
        .split(':')
        .skip(1)
        .all(|f| f.len() == 2 && f.bytes().all(|b| b.is_ascii_digit()));
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(t, fmt)
            && two_digits
        {
            return local(naive);
        }
    }
    for fmt in ["%H:%M:%S", "%H:%M"] {
        if let Ok(clock) = NaiveTime::parse_from_str(t, fmt)
            && two_digits
        {
            return local(near.with_timezone(&tz).date_naive().and_time(clock));
        }
    }
    Err(format!(
        "\"{text}\": expected T-60m / T+3h (relative to T0), 20:05 or 2026-06-14 20:05 (event \
         clock) or RFC 3339"
    ))
}

#[cfg(test)]
#[path = "time_tests.rs"]
mod tests;
