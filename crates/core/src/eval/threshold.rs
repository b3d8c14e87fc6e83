//! Series status: a series' buckets judged against its threshold (`warn`/`crit`, direction,
//! `for`, hysteresis), or Unknown when it has no fresh data. A pure function of the buffer:
//! the recent buckets are replayed in order through the level rules, no hidden memory.

use chrono::{DateTime, TimeDelta, Utc};

use super::format::{dur, num, quantity};
use crate::config::layout::{Direction, Series, Threshold};
use crate::model::Status;
use crate::store::SeriesBuf;

/// Data arrives 1–2 minutes late: a series is stale once its newest bucket is older than
/// `now - (2 * period + STALE_GRACE)`.
pub(crate) const STALE_GRACE: TimeDelta = TimeDelta::seconds(180);
/// Buckets replayed before those `for` needs, so hysteresis carries over from earlier levels.
pub const HYSTERESIS_SCAN: i64 = 60;

/// How long after its bucket's start a series' newest value stays fresh.
pub fn stale_after(buf: &SeriesBuf) -> TimeDelta {
    buf.period() * 2 + STALE_GRACE
}

/// Whether the series has no value newer than [`stale_after`].
pub fn is_stale(buf: &SeriesBuf, now: DateTime<Utc>) -> bool {
    buf.source_down() || buf.latest().is_none_or(|s| s.ts < now - stale_after(buf))
}

/// A series judged: status, newest value and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesStatus {
    pub status: Status,
    /// Newest known value (also when stale, for display greyed out).
    pub value: Option<f64>,
    /// Start of the bucket holding `value`.
    pub(crate) at: Option<DateTime<Utc>>,
    pub(crate) provisional: bool,
    pub stale: bool,
    /// `now` minus the end of the newest bucket with a value.
    pub age: Option<TimeDelta>,
    /// One line, e.g. `seoul.unhealthy_hosts 3 > crit 2 for 1m` (for `warroom explain`).
    pub reason: String,
    /// The same in words, for the screen: `Seoul WAF block ratio 36.9% above 20% for 2m`.
    pub(crate) words: String,
    /// The newest value is past a threshold it has not yet held for the threshold's `for`:
    /// the status it would take (shown dimmed beside the value, never rolled up).
    pub pending: Option<Status>,
}

/// Level index: 0 green, 1 yellow (warn), 2 red (crit).
fn raw_level(th: &Threshold, v: f64) -> u8 {
    let past = |t: Option<f64>| {
        t.is_some_and(|t| match th.direction {
            Direction::Above => v > t,
            Direction::Below => v < t,
        })
    };
    if past(th.crit) {
        2
    } else {
        u8::from(past(th.warn))
    }
}

/// The highest level at or below `cap` that `v` still holds with the hysteresis margin.
fn held_level(th: &Threshold, v: f64, cap: u8) -> u8 {
    let h = th.hysteresis.abs();
    let holds = |t: Option<f64>| {
        t.is_some_and(|t| match th.direction {
            Direction::Above => v > t - h,
            Direction::Below => v < t + h,
        })
    };
    if cap >= 2 && holds(th.crit) {
        2
    } else {
        u8::from(cap >= 1 && holds(th.warn))
    }
}

/// Buckets a level must hold for: `ceil(for / period)`, at least one.
pub(crate) fn for_buckets(th: &Threshold, period_secs: i64) -> i64 {
    let p = period_secs.max(1);
    (th.for_.num_seconds().max(0) + p - 1).div_euclid(p).max(1)
}

/// The threshold level at bucket `newest` (0, 1, 2), replaying the recent buckets in order:
/// a level is entered when every bucket of the last `for` is at least at it; it is left when
/// the value comes back past the threshold by the hysteresis. Missing buckets keep the level
/// and restart the `for` count.
pub(crate) fn level_at(th: &Threshold, buf: &SeriesBuf, newest: i64) -> u8 {
    let n = for_buckets(th, buf.period_secs());
    let start = newest - n - HYSTERESIS_SCAN + 1;
    let (mut level, mut run_warn, mut run_crit) = (0u8, 0i64, 0i64);
    for k in start..=newest {
        let Some(v) = buf.get(k).value() else {
            run_warn = 0;
            run_crit = 0;
            continue;
        };
        let raw = raw_level(th, v);
        run_crit = if raw >= 2 { run_crit + 1 } else { 0 };
        run_warn = if raw >= 1 { run_warn + 1 } else { 0 };
        let sustained = if run_crit >= n {
            2
        } else {
            u8::from(run_warn >= n)
        };
        level = sustained.max(held_level(th, v, level));
    }
    level
}

fn to_status(level: u8) -> Status {
    match level {
        2 => Status::Red,
        1 => Status::Yellow,
        _ => Status::Green,
    }
}

/// Judges one series at `now`.
pub fn series_status(series: &Series, buf: &SeriesBuf, now: DateTime<Utc>) -> SeriesStatus {
    let Some(latest) = buf.latest() else {
        return SeriesStatus {
            status: Status::Unknown,
            value: None,
            at: None,
            provisional: false,
            stale: true,
            age: None,
            reason: format!("{} no data", series.id),
            words: format!("{}: no data", series.label),
            pending: None,
        };
    };
    let value = latest.value();
    let age = now - (latest.ts + buf.period());
    let stale = is_stale(buf, now);
    let mut out = SeriesStatus {
        status: Status::Unknown,
        value,
        at: Some(latest.ts),
        provisional: latest.bucket.is_provisional(),
        stale,
        age: Some(age),
        reason: String::new(),
        words: String::new(),
        pending: None,
    };
    let said = |v: f64| quantity(v, series.unit);
    let v = value.unwrap_or(f64::NAN);
    if stale {
        let why = if buf.source_down() {
            "source failing, "
        } else {
            ""
        };
        out.reason = format!(
            "{} stale: {why}newest value {} is {} old",
            series.id,
            num(v),
            dur(age)
        );
        out.words = format!(
            "{} stale: {why}newest value {} is {} old",
            series.label,
            said(v),
            dur(age)
        );
        return out;
    }
    let Some(th) = &series.threshold else {
        out.status = Status::Green;
        out.reason = format!("{} {}", series.id, num(v));
        out.words = format!("{} {}", series.label, said(v));
        return out;
    };
    let newest = buf.newest_index().unwrap_or_default();
    let level = level_at(th, buf, newest);
    out.status = to_status(level);
    out.reason = reason(&series.id, th, v, level);
    out.words = words(series, th, v, level);
    if let Some(b) = far_below_baseline(series, th, v).filter(|_| level == 0) {
        out.status = Status::Yellow;
        out.reason = format!(
            "{} {} under half its baseline {}",
            series.id,
            num(v),
            num(b)
        );
        out.words = format!(
            "{} {}, under half its usual {}",
            series.label,
            said(v),
            said(b)
        );
    }
    if value.is_some() && raw_level(th, v) > level {
        out.pending = Some(to_status(raw_level(th, v)));
    }
    out
}

/// A "lower is worse" series (`direction = "below"`) under half its baseline is not Green, even
/// above its `warn`: the baseline when it is, else None.
fn far_below_baseline(series: &Series, th: &Threshold, v: f64) -> Option<f64> {
    let b = series.baseline.filter(|b| *b > 0.0)?;
    (th.direction == Direction::Below && v < b / 2.0).then_some(b)
}

/// The threshold a judgement at `level` of value `v` names (the level shown: the held one, or
/// the raw one while a breach waits for its `for`), and how the raw level stands to the held
/// one: Greater, breached but not yet for long enough; Less, back inside but within the
/// hysteresis; Equal, held. None at level 0: nothing crossed.
struct Crossing {
    name: &'static str,
    at: Option<f64>,
    stands: std::cmp::Ordering,
    for_txt: String,
}

fn crossing(th: &Threshold, v: f64, level: u8) -> Option<Crossing> {
    let raw = raw_level(th, v);
    let (name, at) = match level.max(raw) {
        2 => ("crit", th.crit),
        1 => ("warn", th.warn),
        _ => return None,
    };
    let for_txt = if th.for_ > TimeDelta::zero() {
        format!(" for {}", dur(th.for_))
    } else {
        String::new()
    };
    Some(Crossing {
        name,
        at,
        stands: raw.cmp(&level),
        for_txt,
    })
}

/// [`reason`] in words: the series' label, values in its unit, `above`/`below` for the
/// comparison, no warn/crit jargon.
fn words(series: &Series, th: &Threshold, v: f64, level: u8) -> String {
    let said = |x: f64| quantity(x, series.unit);
    let label = &series.label;
    let Some((c, t)) = crossing(th, v, level).and_then(|c| c.at.map(|t| (c, t))) else {
        return format!("{label} {}", said(v));
    };
    let side = match th.direction {
        Direction::Above => "above",
        Direction::Below => "below",
    };
    let for_txt = &c.for_txt;
    match c.stands {
        std::cmp::Ordering::Greater => {
            format!("{label} {} {side} {}, not yet{for_txt}", said(v), said(t))
        }
        std::cmp::Ordering::Less => format!(
            "{label} {}, back within {} of {}",
            said(v),
            said(th.hysteresis),
            said(t)
        ),
        std::cmp::Ordering::Equal => format!("{label} {} {side} {}{for_txt}", said(v), said(t)),
    }
}

fn reason(id: &str, th: &Threshold, v: f64, level: u8) -> String {
    let op = match th.direction {
        Direction::Above => ">",
        Direction::Below => "<",
    };
    let Some(c) = crossing(th, v, level) else {
        return format!("{id} {}", num(v));
    };
    let (name, t, for_txt) = (c.name, c.at.unwrap_or_default(), &c.for_txt);
    match c.stands {
        std::cmp::Ordering::Greater => {
            format!("{id} {} {op} {name} {}, not yet{for_txt}", num(v), num(t))
        }
        std::cmp::Ordering::Less => format!(
            "{id} {} within hysteresis {} of {name} {}",
            num(v),
            num(th.hysteresis),
            num(t)
        ),
        std::cmp::Ordering::Equal => format!("{id} {} {op} {name} {}{for_txt}", num(v), num(t)),
    }
}
