//! `warroom summary RECORDING`: the leadership summary as of a time in a recording, in any of
//! the renderers' formats; `--send` delivers it to the layout's sinks. The recording is replayed
//! through the pipeline and the scheduler exactly as a live collector would have run them, so
//! "since the last summary" means the summaries the log holds, or, in a recording made without
//! summaries, the ones the schedule would have made. At the time of a summary the recording
//! holds (one that was written to the outbox and sent), it prints that summary as sent, with
//! the room's headline and note, and says so on stderr; `--draft` makes a fresh one instead.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};
use clap::Args;

use super::Failure;
use crate::config::{self, Layout};
use crate::model::{DeliveryState, Event, EventBody, Summary};
use crate::pipeline::{Pipeline, batches};
use crate::record::Reader;
use crate::report::bounds;
use crate::summary::{Format, Scheduler, render};
use crate::time::parse_time_spec;

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// The recording (JSON Lines).
    pub(crate) recording: PathBuf,
    /// The time of the summary (T+1h, 21:00, RFC 3339). Default: the end of the recording.
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<String>,
    /// text, markdown, slack, teams, sns or json.
    #[arg(long, default_value = "text")]
    pub(crate) format: String,
    /// Deliver the summary to the layout's sinks (as well as printing it).
    #[arg(long)]
    pub(crate) send: bool,
    /// A fresh draft from the data, even where the recording holds the summary sent then.
    #[arg(long)]
    pub(crate) draft: bool,
}

/// A summary the recording holds: what was sent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sent {
    /// When it was written to the log.
    pub(crate) written: DateTime<Utc>,
    pub(crate) summary: Summary,
    /// Sinks that reported it sent, with when.
    pub(crate) sinks: Vec<(String, DateTime<Utc>)>,
}

/// The summary the events hold for `at`: one made for that slot, or written within the minute
/// from `at` (a scheduled summary is written with the first data after its slot); the newest
/// when several match.
fn sent_at(events: &[Event], at: DateTime<Utc>) -> Option<Sent> {
    let minute = TimeDelta::minutes(1);
    let (written, summary) = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Summary(r) => Some((e.at, &*r.summary)),
            _ => None,
        })
        .filter(|(w, s)| s.slot == Some(at) || (at..at + minute).contains(&s.at.min(*w)))
        .max_by_key(|(w, s)| (s.seq, *w))?;
    let sinks = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::SummaryDelivery(d)
                if d.id == summary.id && d.state == DeliveryState::Sent =>
            {
                Some((d.sink.clone(), e.at))
            }
            _ => None,
        })
        .collect();
    Some(Sent {
        written,
        summary: summary.clone(),
        sinks,
    })
}

fn parse_at(
    layout: &Layout,
    at: Option<&str>,
    end: DateTime<Utc>,
) -> Result<DateTime<Utc>, Failure> {
    match at {
        Some(spec) => parse_time_spec(spec, layout.event.start, layout.event.tz())
            .map_err(|e| Failure::input(format!("--at {e}"))),
        None => Ok(end),
    }
}

/// The layout, the events in time order, and when the log starts.
fn load(recording: &std::path::Path) -> Result<(Layout, Vec<Event>, DateTime<Utc>), Failure> {
    let (header, mut reader) = Reader::open(recording).map_err(Failure::input)?;
    let layout = config::load_texts(&header.layout, header.runbook.as_ref()).map_err(|e| {
        Failure::input(format!(
            "{}: the layout embedded in this recording is invalid:\n{e}",
            recording.display()
        ))
    })?;
    let events: Vec<_> = reader.by_ref().collect();
    // As replay and report do: the reader of the summary knows what it was not made from.
    if let Some(s) = reader.stats().summary() {
        eprintln!("{}: {s}", recording.display());
        tracing::warn!("{}: {s}", recording.display());
    }
    // As the report does: events dated far outside the header's window are skipped, the rest
    // taken in time order.
    let (mut events, outside) = bounds::keep_inside(events, bounds::window(&header, &layout));
    if let Some(s) = outside {
        tracing::warn!("{}: {s}", recording.display());
    }
    events.sort_by_key(|e| e.at);
    Ok((layout, events, header.start))
}

/// The summary a recording gives at `at` (the end of the recording when None), drafted fresh
/// from the data, with the layout it was judged against.
pub fn summary_of(
    recording: &std::path::Path,
    at: Option<&str>,
) -> Result<(Layout, Summary), Failure> {
    let (layout, events, start) = load(recording)?;
    let end = events.last().map_or(start, |e| e.at);
    let at = parse_at(&layout, at, end)?;
    draft(recording, &layout, events, start, at).map(|s| (layout, s))
}

fn draft(
    recording: &std::path::Path,
    layout: &Layout,
    events: Vec<Event>,
    start: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<Summary, Failure> {
    let recorded = events
        .iter()
        .any(|e| matches!(e.body, EventBody::Summary(_)));
    let mut pipeline = Pipeline::new(layout);
    let mut scheduler = Scheduler::new(start);
    for batch in batches(events.into_iter().take_while(|e| e.at <= at)) {
        let t = batch[0].at;
        let entries = pipeline.ingest(&batch);
        scheduler.observe(&entries);
        // Without recorded summaries, make the ones the schedule would have made, so the
        // summary at `at` reports "since" the previous one.
        if !recorded && t < at {
            scheduler.due(&pipeline, t);
        }
    }
    let entries = pipeline.evaluate(at);
    scheduler.observe(&entries);
    match scheduler.due(&pipeline, at) {
        Some(s) => Ok(s),
        None => scheduler.on_demand(&pipeline, at).ok_or_else(|| {
            Failure::input(format!(
                "{}:2:1: error: no event after the header: nothing to summarise",
                recording.display()
            ))
        }),
    }
}

/// `S003-... as sent: written 22:00:04 KST, sent to directory:summaries; headline edited by
/// ic-kim, with a note`.
fn provenance(sent: &Sent) -> String {
    let s = &sent.summary;
    let tz = crate::summary::render::tz(s);
    let hm = |t| crate::summary::render::local_hm_z(t, tz);
    let mut out = format!(
        "{} as sent: written {}, {}",
        s.id,
        hm(sent.written),
        if sent.sinks.is_empty() {
            "delivered to no sink (see the summary overlay or the report)".to_string()
        } else {
            let names: Vec<&str> = sent.sinks.iter().map(|(n, _)| n.as_str()).collect();
            format!("sent to {}", names.join(", "))
        }
    );
    let by = s.sent_by.as_deref().unwrap_or("the room");
    let edits = match (s.headline_override.is_some(), s.note.is_some()) {
        (true, true) => "headline edited and note added",
        (true, false) => "headline edited",
        (false, true) => "note added",
        (false, false) => "",
    };
    if !edits.is_empty() {
        out.push_str("; ");
        out.push_str(edits);
        out.push_str(" by ");
        out.push_str(by);
    }
    out.push_str(". A fresh draft from the data: --draft");
    out
}

pub(crate) fn run(args: &SummaryArgs) -> Result<(), Failure> {
    let format: Format = args.format.parse().map_err(Failure::input)?;
    let (layout, events, start) = load(&args.recording)?;
    let end = events.last().map_or(start, |e| e.at);
    let at = parse_at(&layout, args.at.as_deref(), end)?;
    let sent = if args.draft {
        None
    } else {
        sent_at(&events, at)
    };
    let held = events
        .iter()
        .any(|e| matches!(e.body, EventBody::Summary(_)));
    let summary = if let Some(sent) = sent {
        eprintln!("{}", provenance(&sent));
        sent.summary
    } else {
        if held {
            let why = if args.draft {
                ""
            } else {
                " (none was sent then)"
            };
            eprintln!("a draft from the data at this time, not a summary that was sent{why}");
        }
        draft(&args.recording, &layout, events, start, at)?
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(render(&summary, format).as_bytes())
        .map_err(|e| Failure::output(&e))?;
    out.flush().map_err(|e| Failure::output(&e))?;
    if args.send {
        super::summary_send::send(&layout, &summary)?;
    }
    Ok(())
}
