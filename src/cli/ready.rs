//! `warroom ready LAYOUT`: is the workload ready for the event? Reads the workload the layout
//! names from AWS (read-only, concurrently) and prints the readiness report: each check green,
//! yellow or red with the number behind it and what to do. `--after` lists what the event
//! raised and has not been put back, with its cost per day. Exit 0 with no red check, 1 with
//! any red, 2 for bad input.

use std::path::PathBuf;

use chrono::Utc;
use clap::{Args, ValueEnum};

use super::Failure;
use crate::clock::sim as sim_clock;
use crate::config;
use crate::live::{accounts, session};
use crate::model::Status;
use crate::ready::render::{self, Format};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReadyFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ReadyArgs {
    /// The layout file (TOML); its `[readiness]` section says what the event needs.
    pub(crate) layout: PathBuf,
    /// AWS profile (default: the layout account's profile, else the default chain).
    #[arg(long, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: ReadyFormat,
    /// Also write readiness.md and readiness.json into this directory (created if missing),
    /// beside a `warroom report`.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// After the event: list what it raised and has not been put back.
    #[arg(long)]
    pub(crate) after: bool,
    /// Game-day mode: read the simulator at its virtual time (`WARROOM_SIM_CLOCK`).
    #[arg(long, value_name = "SPEC", hide = true)]
    pub(crate) sim_clock: Option<String>,
}

pub fn run(args: &ReadyArgs) -> Result<(), Failure> {
    let layout = config::load(&args.layout).map_err(Failure::input)?;
    let clock =
        sim_clock::from_arg_or_env(args.sim_clock.as_deref(), "ready").map_err(Failure::input)?;
    let now = clock.map_or_else(Utc::now, |c| c.now());
    let profile = accounts::default_profile(&layout, args.profile.as_deref());
    let runtime = session::runtime().map_err(|e| Failure::runtime(format!("cannot start: {e}")))?;
    let report = runtime.block_on(crate::ready_aws::report_with_profile(
        &layout, profile, now, args.after,
    ));
    let format = match args.format {
        ReadyFormat::Text => Format::Text,
        ReadyFormat::Markdown => Format::Markdown,
        ReadyFormat::Json => Format::Json,
    };
    if let Some(dir) = &args.out {
        write_out(dir, &report)?;
    }
    let mut out = std::io::stdout().lock();
    std::io::Write::write_all(&mut out, render::render(&report, format).as_bytes())
        .map_err(|e| Failure::output(&e))?;
    verdict(&report)
}

/// The exit of a readiness run, one rule for `warroom ready` and `warroom demo --readiness`:
/// 0 with no red check (yellow checks do not fail it), 1 with any red check. A report after
/// the event (`--after`) has no checks, so it exits 0.
pub(super) fn verdict(report: &crate::model::readiness::ReadinessReport) -> Result<(), Failure> {
    let red = report.count(Status::Red);
    if red > 0 {
        return Err(Failure::runtime(format!("not ready: {red} red check(s)")));
    }
    Ok(())
}

fn write_out(
    dir: &std::path::Path,
    r: &crate::model::readiness::ReadinessReport,
) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::runtime(format!("cannot write {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    std::fs::write(dir.join("readiness.md"), render::markdown(r)).map_err(fail)?;
    std::fs::write(dir.join("readiness.json"), render::json(r)).map_err(fail)?;
    eprintln!("wrote readiness.md and readiness.json to {}", dir.display());
    Ok(())
}
