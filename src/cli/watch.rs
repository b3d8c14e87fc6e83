//! `warroom watch LAYOUT`: the dashboard live against AWS. The pollers run on their own
//! runtime; the screen drains their batches without waiting, records them with `--record`, and
//! records operator actions with who and when. With `--record`, leadership summaries are made on
//! the schedule and delivered to the layout's sinks, the recording being their outbox. In
//! game-day mode (`WARROOM_SIM_CLOCK` from `warroom sim serve`) everything runs on the
//! simulator's virtual clock and the badge reads `SIM xN`.

use std::path::PathBuf;

use chrono::Utc;
use clap::Args;

use super::Failure;
use crate::config;
use crate::dash::LiveSource;
use crate::live::outbox::{self, Outbox};
use crate::live::{Board, LiveSession, accounts, recording, routes, session, sim_clock};
use crate::summary::{Policy, sink};
use crate::tui::InputMode;

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The layout file (TOML).
    pub layout: PathBuf,
    /// AWS profile (default: the layout account's profile, else the default credential chain).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Record every event, operator actions included, to this file (JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Continue the recording if it exists (same layout only).
    #[arg(long, requires = "record", conflicts_with = "overwrite")]
    pub append: bool,
    /// Replace the recording if it exists.
    #[arg(long, requires = "record")]
    pub overwrite: bool,
    /// The name written with operator actions (default: $USER).
    #[arg(long, value_name = "NAME")]
    pub operator: Option<String>,
    /// Plain ASCII borders and symbols.
    #[arg(long)]
    pub ascii: bool,
    /// Game-day mode: the simulator's virtual clock, `SPEED,VIRTUAL,REAL` as `warroom sim serve`
    /// prints it in `WARROOM_SIM_CLOCK` (read from there when not given; see docs/simulator.md).
    #[arg(long, value_name = "SPEC", hide = true)]
    pub sim_clock: Option<String>,
}

pub fn run(args: &WatchArgs) -> Result<(), Failure> {
    let layout = config::load(&args.layout).map_err(Failure::input)?;
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(Failure::input(
            "stdout is not a terminal: the dashboard needs one; use \
             `warroom collect LAYOUT --record FILE` to record without a screen",
        ));
    }
    let clock =
        sim_clock::from_arg_or_env(args.sim_clock.as_deref(), "watch").map_err(Failure::input)?;
    let now = || clock.map_or_else(Utc::now, |c| c.now());
    let profile = accounts::default_profile(&layout, args.profile.as_deref());
    let start = now();
    let mut recorder = match &args.record {
        Some(path) => {
            let header = recording::aws_header(&layout, profile, start);
            Some(
                recording::open(path, &header, args.append, args.overwrite)
                    .map_err(Failure::input)?,
            )
        }
        None => None,
    };
    let runtime = session::runtime().map_err(|e| Failure::runtime(format!("cannot start: {e}")))?;
    if let Some(rec) = &mut recorder {
        crate::live::readiness::record_at_start(&runtime, &layout, profile, start, rec)
            .map_err(|e| Failure::runtime(format!("cannot record: {e}")))?;
    }
    // The recording is the summaries' outbox: with --append its log is replayed first.
    let summaries = match &args.record {
        Some(path) => {
            let replayed = outbox::replay(&layout, args.append.then_some(path.as_path()), start)
                .map_err(|e| Failure::input(format!("cannot replay the recording: {e}")))?;
            let cwd = std::env::current_dir()
                .map_err(|e| Failure::runtime(format!("cannot read the current directory: {e}")))?;
            let ob = runtime.block_on(async {
                let sinks = sink::from_layout(&layout, &cwd).await;
                Outbox::start(
                    replayed.scheduler.clone(),
                    sinks,
                    Policy::default(),
                    // Summaries follow the pollers' clock (virtual time in game-day mode).
                    &Outbox::clock(clock),
                    &replayed.pipeline,
                )
            });
            Some((replayed, ob))
        }
        None => None,
    };
    let routes = runtime.block_on(accounts::connect(&layout, args.profile.as_deref()));
    let board = Board::new(routes::sources_with_credentials(&layout, &routes));
    let live = LiveSession::start_on(runtime, &layout, &routes, clock);
    tracing::info!(sources = live.pollers(), "watch started");
    let who = crate::dash::demo::operator_name(args.operator.as_deref());
    let label = accounts::profile_label(profile);
    let mut source = LiveSource::new(
        &layout,
        None,
        Board::default(),
        recorder,
        who,
        label.clone(),
        now(),
    );
    if let Some(c) = clock {
        source = source.simulated(c.speed());
    }
    if let Some((replayed, ob)) = summaries {
        source = source.with_summaries(replayed, ob);
    }
    source.connect(live, board, label, clock);
    super::dashboard::open(&mut source, InputMode::Live, args.ascii)
}
