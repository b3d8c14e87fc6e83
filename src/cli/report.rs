//! `warroom report RECORDING --out DIR`: the post-mortem report of a recording (index.md,
//! index.html, charts/*.svg), a pure function of the file. See docs/report.md.

use std::path::PathBuf;

use clap::Args;

use super::Failure;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The recording (JSON Lines).
    pub(crate) recording: PathBuf,
    /// Directory to write the report into (created if missing; files in it are replaced).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
}

pub fn run(args: &ReportArgs) -> Result<(), Failure> {
    let report = crate::report::from_recording(&args.recording).map_err(|e| {
        if e.is_input() {
            Failure::input(e)
        } else {
            Failure::runtime(e)
        }
    })?;
    let written = crate::report::write(&report, &args.out).map_err(Failure::runtime)?;
    if let Some(s) = &report.quality.skipped {
        eprintln!("{}: {s}", args.recording.display());
    }
    if let Some(s) = &report.quality.postmortem {
        eprintln!("{s}");
    }
    eprintln!("wrote {} files to {}", written.len(), args.out.display());
    Ok(())
}
