//! What the report trusts of a recording's times. Events dated far outside the window its
//! header describes (a year 9999 or 0001 in a damaged or hostile file) are skipped and counted
//! like unreadable lines; the state keeps no more history than the recording's metric batches
//! can fill; so the report's time and memory follow the recording's size, never its dates.

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::Layout;
use crate::model::{Event, EventBody, Header, Source};
use crate::store::DEFAULT_HISTORY;

/// How far before the header's start (or T0, if earlier) an event may be dated.
pub(crate) const BEFORE: TimeDelta = TimeDelta::days(2);
/// How far after the event's end (or the header's start, if later) an event may be dated.
pub(crate) const AFTER: TimeDelta = TimeDelta::days(60);

/// The window the header and its layout describe: from the first observation or T0 (the
/// earlier, less [`BEFORE`]) to the event's end or the first observation (the later, plus
/// [`AFTER`]); a backfill's `from`/`to` count as observations.
pub fn window(header: &Header, layout: &Layout) -> (DateTime<Utc>, DateTime<Utc>) {
    let mut lo = header.start.min(layout.event.start);
    let mut hi = header.start.max(layout.event.end);
    if let Source::Backfill { from, to, .. } = &header.source {
        lo = lo.min(*from);
        hi = hi.max(*to);
    }
    (lo - BEFORE, hi + AFTER)
}

/// Whether the event's time, and a metric batch's window and points (what the state's series
/// are sized by), lie inside `[lo, hi]`. An alarm's last change may be weeks old: not judged.
pub(crate) fn inside(e: &Event, (lo, hi): (DateTime<Utc>, DateTime<Utc>)) -> bool {
    let ok = |t: DateTime<Utc>| lo <= t && t <= hi;
    ok(e.at)
        && match &e.body {
            EventBody::Metrics(b) => {
                ok(b.start)
                    && ok(b.end)
                    && b.series.iter().all(|s| s.points.iter().all(|p| ok(p.ts)))
            }
            _ => true,
        }
}

/// Keeps the events inside the window; the note says how many were skipped and the first.
pub fn keep_inside(
    events: Vec<Event>,
    window: (DateTime<Utc>, DateTime<Utc>),
) -> (Vec<Event>, Option<String>) {
    let mut skipped = 0usize;
    let mut first: Option<DateTime<Utc>> = None;
    let kept = events
        .into_iter()
        .filter(|e| {
            let ok = inside(e, window);
            if !ok {
                skipped += 1;
                first.get_or_insert(e.at);
            }
            ok
        })
        .collect();
    let note = first.map(|t| {
        format!(
            "skipped {skipped} event(s) dated outside the recording's window ({} to {}); first dated {}",
            window.0.format("%Y-%m-%d"),
            window.1.format("%Y-%m-%d"),
            t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        )
    });
    (kept, note)
}

/// The earliest and latest time of the events and of the buckets their metric batches cover.
pub(crate) fn reach(events: &[Event]) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let mut r: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    let mut take = |a: DateTime<Utc>, b: DateTime<Utc>| {
        r = Some(r.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
    };
    for e in events {
        take(e.at, e.at);
        if let EventBody::Metrics(b) = &e.body {
            take(b.start.min(b.end), b.end.max(b.start));
        }
    }
    r
}

/// History the state keeps: the whole reach, but no more than the metric batches' windows add
/// up to (at least a day): two events years apart do not make it allocate years of buckets.
pub(crate) fn history(
    events: &[Event],
    reach: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> TimeDelta {
    let covered = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Metrics(b) => Some((b.end - b.start).max(TimeDelta::zero())),
            _ => None,
        })
        .fold(TimeDelta::zero(), |a, d| {
            a.checked_add(&d).unwrap_or(TimeDelta::MAX)
        })
        .max(DEFAULT_HISTORY);
    let wanted = reach.map_or(DEFAULT_HISTORY, |(a, b)| b - a + TimeDelta::hours(1));
    wanted.min(covered)
}
