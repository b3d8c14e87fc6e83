//! `warroom collect LAYOUT --record FILE`: headless live collection for a bastion or a systemd
//! service. Starts the AWS pollers, writes every batch to the recording (flushed per batch),
//! reports on stderr only what an operator acts on (start, each source's change of state, stop;
//! `--verbose` adds a status line per minute), makes and delivers the leadership summaries of
//! the layout's `[summary]` section with the recording as their outbox, and exits 0 on SIGINT or SIGTERM with the recording
//! intact.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use chrono::Utc;
use clap::Args;
use signal_hook::consts::{SIGINT, SIGTERM};

use super::Failure;
use crate::board::Board;
use crate::clock::sim as sim_clock;
use crate::config;
use crate::delivery::{Policy, sink};
use crate::live::collector::{self, Ended};
use crate::live::outbox::{self, LiveSummaries, Outbox};
use crate::live::{LiveSession, accounts, routes, session};
use crate::record::live as recording;

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The layout file (TOML).
    pub layout: PathBuf,
    /// The recording to write (JSON Lines, mode 0600).
    #[arg(long, value_name = "FILE")]
    pub record: PathBuf,
    /// AWS profile (default: the layout account's profile, else the default credential chain).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Continue FILE if it exists (it must have been recorded with the same layout); what a
    /// service restarted by systemd wants.
    #[arg(long, conflicts_with = "overwrite")]
    pub append: bool,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub overwrite: bool,
    /// Also print a one-line summary of every source once a minute.
    #[arg(long, short)]
    pub verbose: bool,
    /// Game-day mode: poll on a simulator's virtual clock, `SPEED,VIRTUAL,REAL` as `warroom sim
    /// serve` prints it in `WARROOM_SIM_CLOCK` (read from there when not given; see
    /// docs/simulator.md).
    #[arg(long, value_name = "SPEC", hide = true)]
    pub sim_clock: Option<String>,
}

pub fn run(args: &CollectArgs) -> Result<(), Failure> {
    let layout = config::load(&args.layout).map_err(Failure::input)?;
    let clock =
        sim_clock::from_arg_or_env(args.sim_clock.as_deref(), "collect").map_err(Failure::input)?;
    let profile = accounts::default_profile(&layout, args.profile.as_deref());
    let start = clock.map_or_else(Utc::now, |c| c.now());
    let header = recording::aws_header(&layout, profile, start);
    let mut recorder = recording::open(&args.record, &header, args.append, args.overwrite)
        .map_err(Failure::input)?;
    if let Some(n) = recorder.notice() {
        eprintln!("warroom collect: {n}");
    }
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [SIGTERM, SIGINT] {
        signal_hook::flag::register(sig, Arc::clone(&stop))
            .map_err(|e| Failure::runtime(format!("cannot handle signals: {e}")))?;
    }
    // With --append the log so far is replayed: summaries already written are not made again
    // and those not yet delivered are sent again.
    let replayed = outbox::replay(&layout, args.append.then_some(&*args.record), header.start)
        .map_err(|e| Failure::input(format!("cannot replay the recording: {e}")))?;
    let runtime = session::runtime().map_err(|e| Failure::runtime(format!("cannot start: {e}")))?;
    let cwd = std::env::current_dir()
        .map_err(|e| Failure::runtime(format!("cannot read the current directory: {e}")))?;
    let mut summaries = runtime.block_on(async {
        let sinks = sink::from_layout(&layout, &cwd).await;
        let outbox = Outbox::start(
            replayed.scheduler,
            sinks,
            Policy::default(),
            // Summaries follow the pollers' clock (a simulator's virtual time in game-day mode).
            &Outbox::clock(clock),
            &replayed.pipeline,
        );
        LiveSummaries {
            pipeline: replayed.pipeline,
            outbox,
        }
    });
    let routes = runtime.block_on(accounts::connect(&layout, args.profile.as_deref()));
    let mut board = Board::new(routes::sources_with_credentials(&layout, &routes));
    let live = LiveSession::start_on(runtime, &layout, &routes, clock);
    eprintln!(
        "warroom collect: {} sources of {} to {}{}; summaries to {} sinks",
        live.pollers(),
        layout.path,
        args.record.display(),
        profile
            .map(|p| format!(" (profile {p})"))
            .unwrap_or_default(),
        summaries.outbox.sink_names().len()
    );
    tracing::info!(
        sources = live.pollers(),
        record = %args.record.display(),
        "collect started"
    );
    let mut err = std::io::stderr();
    let ended = collector::collect(
        live,
        &mut recorder,
        &mut board,
        Some(&mut summaries),
        &stop,
        &mut err,
        args.verbose,
    )
    .map_err(|e| Failure::runtime(format!("recording stopped: {e}")))?;
    let written = recorder.events_written();
    tracing::info!(?ended, written, "collect stopped");
    match ended {
        Ended::Stopped => {
            eprintln!(
                "warroom collect: stopped; {written} events recorded to {}",
                args.record.display()
            );
            Ok(())
        }
        Ended::PollersGone => Err(Failure::runtime(format!(
            "every poller stopped unexpectedly (see the log); {written} events recorded to {}",
            args.record.display()
        ))),
    }
}
