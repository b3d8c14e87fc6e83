//! `warroom summary RECORDING`: the leadership summary as of a time in a recording, in any of
//! the renderers' formats; `--send` delivers it to the layout's sinks. The recording is replayed
//! through the pipeline and the scheduler exactly as a live collector would have run them, so
//! "since the last summary" means the summaries the log holds, or, in a recording made without
//! summaries, the ones the schedule would have made.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Args;

use super::Failure;
use crate::config::{self, Layout};
use crate::model::{EventBody, Summary};
use crate::pipeline::{Pipeline, batches};
use crate::record::Reader;
use crate::report::bounds;
use crate::summary::{Format, Scheduler, render};
use crate::time::parse_time_spec;

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// The recording (JSON Lines).
    pub recording: PathBuf,
    /// The time of the summary (T+1h, 21:00, RFC 3339). Default: the end of the recording.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// text, markdown, slack, teams, sns or json.
    #[arg(long, default_value = "text")]
    pub format: String,
    /// Deliver the summary to the layout's sinks (as well as printing it).
    #[arg(long)]
    pub send: bool,
}

/// The summary a recording gives at `at` (the end of the recording when None), with the
/// layout it was judged against.
pub fn summary_of(
    recording: &std::path::Path,
    at: Option<&str>,
) -> Result<(Layout, Summary), Failure> {
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
    let end = events.last().map_or(header.start, |e| e.at);
    let at: DateTime<Utc> = match at {
        Some(spec) => parse_time_spec(spec, layout.event.start, layout.event.tz())
            .map_err(|e| Failure::input(format!("--at {e}")))?,
        None => end,
    };
    let recorded = events
        .iter()
        .any(|e| matches!(e.body, EventBody::Summary(_)));
    let mut pipeline = Pipeline::new(&layout);
    let mut scheduler = Scheduler::new(header.start);
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
    let summary = match scheduler.due(&pipeline, at) {
        Some(s) => s,
        None => scheduler.on_demand(&pipeline, at).ok_or_else(|| {
            Failure::input(format!(
                "{}:2:1: error: no event after the header: nothing to summarise",
                recording.display()
            ))
        })?,
    };
    Ok((layout, summary))
}

pub fn run(args: &SummaryArgs) -> Result<(), Failure> {
    let format: Format = args.format.parse().map_err(Failure::input)?;
    let (layout, summary) = summary_of(&args.recording, args.at.as_deref())?;
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
