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
use crate::record::Reader;

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The recording (JSON Lines).
    pub recording: PathBuf,
    /// Print the status timeline instead of opening the dashboard.
    #[arg(long)]
    pub headless: bool,
    /// Pace: a factor of real time (60, 3600x) or max. Default: max headless.
    #[arg(long)]
    pub speed: Option<Speed>,
}

pub fn run(args: &ReplayArgs) -> Result<(), Failure> {
    let (header, mut reader) = Reader::open(&args.recording).map_err(Failure::input)?;
    let layout = config::load_texts(&header.layout, header.runbook.as_ref()).map_err(|e| {
        Failure::input(format!("{}: the layout embedded in this recording is invalid:\n{e}", args.recording.display()))
    })?;
    if !args.headless {
        return Err(Failure::input(
            "the interactive dashboard is not available in this build; use `warroom replay --headless`",
        ));
    }
    let tz = layout.event.tz();
    let mut pipeline = Pipeline::new(&layout);
    let pacer = Pacer::new(header.start, args.speed.unwrap_or(Speed::Max));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for batch in batches(reader.by_ref()) {
        pacer.wait_until(batch[0].at);
        for entry in pipeline.ingest(&batch) {
            writeln!(out, "{}", entry.line(tz)).map_err(Failure::runtime)?;
        }
    }
    out.flush().map_err(Failure::runtime)?;
    if let Some(summary) = reader.stats().summary() {
        eprintln!("{}: {summary}", args.recording.display());
    }
    Ok(())
}
