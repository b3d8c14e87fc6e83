//! `warroom replay FILE`: drive the same pipeline from a recording alone (its header embeds the
//! layout and runbook as used). `--headless` prints the status timeline, identical to the
//! headless demo that made the recording.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::demo::Pacer;
use super::{Failure, Speed};
use crate::config;
use crate::pipeline::{Pipeline, batches};
use crate::record::{Follower, Reader};
use crate::time::parse_time_spec;

use super::explain::explain;

/// `--follow`: the recording as another process writes it, read-only.
fn follow(args: &ReplayArgs) -> Result<(), Failure> {
    super::dashboard::require_terminal("replay")?;
    let (header, follower) = Follower::open(&args.recording).map_err(Failure::input)?;
    let layout = config::load_texts(&header.layout, header.runbook.as_ref()).map_err(|e| {
        Failure::input(format!(
            "{}: the layout embedded in this recording is invalid:\n{e}",
            args.recording.display()
        ))
    })?;
    let place = args.recording.display().to_string();
    let mut source = crate::dash::FollowSource::new(follower, &layout, place);
    super::dashboard::open_as(&mut source, crate::tui::InputMode::Live, args.ascii, true)
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The recording (JSON Lines).
    pub(crate) recording: PathBuf,
    /// Print the status timeline instead of opening the dashboard.
    #[arg(long)]
    pub(crate) headless: bool,
    /// Pace: a factor of real time (60, 3600x) or max. Default: max headless.
    #[arg(long)]
    pub(crate) speed: Option<Speed>,
    /// With --headless: print what the room saw at this moment (T+9m40s, 20:09:40, RFC 3339)
    /// instead of the timeline.
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<String>,
    /// Dashboard: the name written with post-mortem notes (default: $USER).
    #[arg(long, value_name = "NAME")]
    pub(crate) operator: Option<String>,
    /// Dashboard: plain ASCII borders and symbols.
    #[arg(long)]
    pub(crate) ascii: bool,
    /// Follow a recording another process is writing: a read-only live tail (for a host that
    /// can read the file but not reach the room's socket).
    #[arg(long, conflicts_with_all = ["headless", "at", "speed"])]
    pub(crate) follow: bool,
}

pub fn run(args: &ReplayArgs) -> Result<(), Failure> {
    if args.follow {
        return follow(args);
    }
    let (header, mut reader) = Reader::open(&args.recording).map_err(Failure::input)?;
    let layout = config::load_texts(&header.layout, header.runbook.as_ref()).map_err(|e| {
        Failure::input(format!(
            "{}: the layout embedded in this recording is invalid:\n{e}",
            args.recording.display()
        ))
    })?;
    let tz = layout.event.tz();
    if !args.headless {
        super::dashboard::require_terminal("replay")?;
        let mut events: Vec<_> = reader.by_ref().collect();
        let (notes, loaded) = crate::record::postmortem::load(&args.recording);
        events.extend(notes);
        let skipped = match (reader.stats().summary(), loaded) {
            (Some(a), Some(b)) => Some(format!("{a}; {b}")),
            (a, b) => a.or(b),
        };
        let who = crate::dash::operator_name(args.operator.as_deref());
        let mut source =
            crate::dash::ReplaySource::new(&layout, header, events, &args.recording, who, skipped);
        if let Some(spec) = &args.at {
            let t = parse_time_spec(spec, layout.event.start, tz)
                .map_err(|e| Failure::input(format!("--at {e}")))?;
            source.seek(t);
        }
        if let Some(Speed::Factor(f)) = args.speed {
            source.set_speed(f.round() as u32);
        }
        return super::dashboard::open(&mut source, crate::tui::InputMode::Replay, args.ascii);
    }
    let at = match &args.at {
        Some(spec) => Some(
            parse_time_spec(spec, layout.event.start, tz)
                .map_err(|e| Failure::input(format!("--at {e}")))?,
        ),
        None => None,
    };
    let mut pipeline = Pipeline::new(&layout);
    let pacer = Pacer::new(header.start, args.speed.unwrap_or(Speed::Max));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for batch in batches(reader.by_ref()) {
        if at.is_some_and(|t| batch[0].at > t) {
            break;
        }
        pacer.wait_until(batch[0].at);
        let entries = pipeline.ingest(&batch);
        if at.is_none() {
            for entry in entries {
                writeln!(out, "{}", entry.line(tz)).map_err(|e| Failure::output(&e))?;
            }
        }
    }
    if let Some(t) = at {
        pipeline.evaluate(t);
        if let Some(e) = pipeline.evaluation() {
            write!(
                out,
                "{}",
                explain(pipeline.layout(), pipeline.state(), e, tz)
            )
            .map_err(|e| Failure::output(&e))?;
        }
    }
    out.flush().map_err(|e| Failure::output(&e))?;
    if let Some(summary) = reader.stats().summary() {
        eprintln!("{}: {summary}", args.recording.display());
    }
    Ok(())
}
