//! `warroom backfill LAYOUT --from T --to T --out RECORDING`: a recording built from CloudWatch
//! history (metrics and alarm state changes), for `replay` and `report`. Says on stderr what
//! history cannot give. See docs/report.md.

use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};
use clap::Args;

use super::Failure;
use crate::backfill::{self, NOT_IN_HISTORY};
use crate::clock::sim as sim_clock;
use crate::config::{self, Layout};
use crate::model::EmbeddedFile;
use crate::pipeline::batches;
use crate::record::Recorder;
use crate::sources::ClientSet;
use crate::time::parse_time_spec;

#[derive(Debug, Args)]
pub struct BackfillArgs {
    /// The layout (TOML) describing what to fetch.
    pub(crate) layout: PathBuf,
    /// Start of the window: T-60m, 19:00 (event clock) or RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub(crate) from: String,
    /// End of the window (exclusive).
    #[arg(long, value_name = "TIME")]
    pub(crate) to: String,
    /// The recording to write (JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
    /// Replace the recording file if it exists.
    #[arg(long)]
    pub(crate) overwrite: bool,
    /// AWS profile for credentials and region settings.
    #[arg(long, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// Game-day mode: "now" is the simulator's virtual time (`WARROOM_SIM_CLOCK`), so what is
    /// history, and at which period CloudWatch keeps it, is judged on the game's clock.
    #[arg(long, value_name = "SPEC", hide = true)]
    pub(crate) sim_clock: Option<String>,
}

/// The window to backfill: `--from` to `--to` on the event's clock, `--to` no later than now.
fn window(
    args: &BackfillArgs,
    layout: &Layout,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), Failure> {
    let t0 = layout.event.start;
    let tz = layout.event.tz();
    let from =
        parse_time_spec(&args.from, t0, tz).map_err(|e| Failure::input(format!("--from {e}")))?;
    let mut to =
        parse_time_spec(&args.to, t0, tz).map_err(|e| Failure::input(format!("--to {e}")))?;
    if to <= from {
        return Err(Failure::input(format!(
            "--to \"{}\" must be after --from \"{}\"",
            args.to, args.from
        )));
    }
    if to > now {
        to = backfill::plan::floor_to(now, 60);
        eprintln!("--to is in the future: backfilling up to {to} only");
    }
    if now - from > TimeDelta::days(455) {
        eprintln!(
            "CloudWatch keeps 455 days: data before {} is gone",
            now - TimeDelta::days(455)
        );
    }
    Ok((from, to))
}

pub fn run(args: &BackfillArgs) -> Result<(), Failure> {
    let layout = config::load(&args.layout).map_err(Failure::input)?;
    let clock = sim_clock::from_arg_or_env(args.sim_clock.as_deref(), "backfill")
        .map_err(Failure::input)?;
    let now = clock.map_or_else(Utc::now, |c| c.now());
    let (from, to) = window(args, &layout, now)?;
    let header = backfill::header(
        EmbeddedFile {
            path: layout.path.clone(),
            text: layout.text.clone(),
        },
        layout.runbook.as_ref().map(|rb| EmbeddedFile {
            path: rb.path.clone(),
            text: rb.text.clone(),
        }),
        backfill::regions(&layout),
        args.profile.clone(),
        (from, to),
        now,
    );
    // Checked before the (possibly long) fetch; the file is created only once there is data,
    // so a failed backfill leaves nothing behind.
    if args.out.exists() && !args.overwrite {
        return Err(Failure::input(format!(
            "{} exists: choose another --out or pass --overwrite",
            args.out.display()
        )));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::runtime(format!("cannot start the async runtime: {e}")))?;
    let done = runtime.block_on(async {
        let set = ClientSet::load(args.profile.as_deref(), &backfill::regions(&layout)).await;
        backfill::backfill(&layout, &backfill::clients_of(&set), from, to, now).await
    });
    let mut done = done.map_err(Failure::runtime)?;
    let mut recorder =
        Recorder::create(&args.out, &header, args.overwrite).map_err(Failure::input)?;
    for batch in batches(std::mem::take(&mut done.events)) {
        recorder.write_batch(&batch).map_err(Failure::runtime)?;
    }
    tell(&done);
    eprintln!(
        "recorded {} events to {}",
        recorder.events_written(),
        recorder.path().display()
    );
    Ok(())
}

/// What the backfill fetched and what history cannot give, on stderr.
fn tell(done: &backfill::Backfilled) {
    for (region, o) in &done.regions {
        eprintln!(
            "{region}: {} GetMetricData call(s), {} failed, {} datapoints",
            o.calls, o.failed_calls, o.datapoints
        );
        if let Some((start, period)) = o.coarser.first() {
            eprintln!(
                "{region}: data from {start} on is older than CloudWatch keeps at the layout's period: fetched at {period} s"
            );
        }
    }
    eprintln!("alarm history: {} state change(s)", done.alarm_transitions);
    for (region, e) in &done.alarm_errors {
        eprintln!("{region}: alarm history not fetched: {e}");
    }
    eprintln!("not in CloudWatch history, so not in this recording:");
    for m in NOT_IN_HISTORY {
        eprintln!("  - {m}");
    }
}
