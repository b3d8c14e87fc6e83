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
use crate::clock::sim as sim_clock;
use crate::config;
use crate::dash::LiveSource;
use crate::journal::Who;
use crate::session;
use crate::tui::InputMode;
use crate::tui::widgets::ModeBadge;

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The layout file (TOML).
    pub(crate) layout: PathBuf,
    /// AWS profile (default: the layout account's profile, else the default credential chain).
    #[arg(long, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// Record every event, operator actions included, to this file (JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub(crate) record: Option<PathBuf>,
    /// Continue the recording if it exists (same layout only).
    #[arg(long, requires = "record", conflicts_with = "overwrite")]
    pub(crate) append: bool,
    /// Replace the recording if it exists.
    #[arg(long, requires = "record")]
    pub(crate) overwrite: bool,
    /// The name written with operator actions (default: $USER).
    #[arg(long, value_name = "NAME")]
    pub(crate) operator: Option<String>,
    /// Plain ASCII borders and symbols.
    #[arg(long)]
    pub(crate) ascii: bool,
    /// Game-day mode: the simulator's virtual clock, `SPEED,VIRTUAL,REAL` as `warroom sim serve`
    /// prints it in `WARROOM_SIM_CLOCK` (read from there when not given; see docs/simulator.md).
    #[arg(long, value_name = "SPEC", hide = true)]
    pub(crate) sim_clock: Option<String>,
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
    let live = session::open(
        &layout,
        &session::Options {
            profile: args.profile.as_deref(),
            record: args.record.as_deref(),
            append: args.append,
            overwrite: args.overwrite,
            clock,
        },
    )?;
    tracing::info!(sources = live.feed.session.pollers(), "watch started");
    let who = Who::local(&crate::dash::operator_name(args.operator.as_deref()));
    let mode = clock.map_or(ModeBadge::Live, |c| ModeBadge::Sim {
        speed: c.speed().round() as u32,
    });
    let now = clock.map_or_else(Utc::now, |c| c.now());
    let mut source = LiveSource::new(live.journal, Some(live.feed), who, mode, now);
    super::dashboard::open(&mut source, InputMode::Live, args.ascii)
}
