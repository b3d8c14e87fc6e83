//! `warroom demo`: the simulated reference event. The dashboard runs the real pollers against
//! the in-process simulator endpoint on loopback (`demo_live`). `--headless` prints the status
//! timeline to stdout (and records with `--record`) from the in-process simulator directly, with
//! no network and no pollers; same seed, same output, byte for byte.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};
use clap::Args;

use super::{Failure, Speed};
use crate::board::Board;
use crate::clock::Clock;
use crate::config::{self, Layout};
use crate::journal::{Fold, Journal};
use crate::model::{EmbeddedFile, FORMAT_NAME, FORMAT_VERSION, Header, Source};
use crate::pipeline::batches;
use crate::record::Recorder;
use crate::sim::{Scenario, Simulator};
use crate::time::parse_time_spec;

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)] // independent command-line switches
pub struct DemoArgs {
    /// Print the status timeline instead of opening the dashboard.
    #[arg(long)]
    pub(crate) headless: bool,
    /// Record every event to this file (JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub(crate) record: Option<PathBuf>,
    /// Replace the recording file if it exists.
    #[arg(long)]
    pub(crate) overwrite: bool,
    /// Scenario variant (see `--list-scenarios`).
    #[arg(long, default_value = "army-drop-2000kst")]
    pub(crate) scenario: String,
    /// List the scenario variants and exit.
    #[arg(long)]
    pub(crate) list_scenarios: bool,
    /// Seed of the simulated noise.
    #[arg(long, default_value_t = 42)]
    pub(crate) seed: u64,
    /// Pace: a factor of real time (10, 60x) or max. Default: max headless, 10 in the dashboard.
    #[arg(long)]
    pub(crate) speed: Option<Speed>,
    /// Start of the window: T-60m, 19:00 (event clock) or RFC 3339.
    #[arg(long, default_value = "T-60m")]
    pub(crate) from: String,
    /// End of the window.
    #[arg(long, default_value = "T+3h")]
    pub(crate) to: String,
    /// Layout to simulate (default: the built-in reference layout).
    #[arg(long, value_name = "FILE")]
    pub(crate) layout: Option<PathBuf>,
    /// Dashboard: open at this moment (T-5m, 20:05, RFC 3339); the simulator runs silently up
    /// to it from --from.
    #[arg(long, default_value = "T-5m")]
    pub(crate) at: String,
    /// Dashboard: the name written with operator actions (default: $USER).
    #[arg(long, value_name = "NAME")]
    pub(crate) operator: Option<String>,
    /// Dashboard: plain ASCII borders and symbols.
    #[arg(long)]
    pub(crate) ascii: bool,
    /// Dashboard: write the leadership summaries made on the schedule to this directory
    /// (default: warroom-summaries in the temporary directory).
    #[arg(long, value_name = "DIR")]
    pub(crate) summaries: Option<PathBuf>,
    /// Dashboard: serve the room, so a team rehearses together (needs --record: the screens
    /// catch up from the recording).
    #[command(flatten)]
    pub(crate) room: super::serve::ServeArgs,
    /// Print the readiness report of the layout (`warroom ready`) against the simulator at
    /// `--at`, and exit.
    #[arg(long)]
    pub(crate) readiness: bool,
}

pub fn run(args: &DemoArgs) -> Result<(), Failure> {
    if args.list_scenarios {
        for s in Scenario::list() {
            println!("{:<22} {}", s.to_string(), s.description());
        }
        return Ok(());
    }
    let scenario: Scenario = args.scenario.parse().map_err(Failure::input)?;
    let (layout, layout_file, runbook_file) = load_layout(args.layout.as_ref())?;
    let t0 = layout.event.start;
    let tz = layout.event.tz();
    let from =
        parse_time_spec(&args.from, t0, tz).map_err(|e| Failure::input(format!("--from {e}")))?;
    let to = parse_time_spec(&args.to, t0, tz).map_err(|e| Failure::input(format!("--to {e}")))?;
    if to <= from {
        return Err(Failure::input(format!(
            "--to \"{}\" must be after --from \"{}\"",
            args.to, args.from
        )));
    }
    if !args.headless {
        super::dashboard::require_terminal("demo")?;
    }
    if args.room.serve && (args.headless || args.record.is_none()) {
        return Err(Failure::input(
            "--serve needs the dashboard and --record FILE: the room's screens catch up from \
             the recording",
        ));
    }
    let header = Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: format!("warroom {}", env!("CARGO_PKG_VERSION")),
        created: Utc::now(),
        start: from,
        source: Source::Simulator {
            scenario: scenario.to_string(),
            seed: args.seed,
        },
        layout: layout_file,
        runbook: runbook_file,
    };
    // Every refusal of the room's comes before the recording is created or replaced.
    let room_plan = match &args.record {
        Some(path) => args.room.prepare(path)?,
        None => None,
    };
    let recorder = match &args.record {
        Some(path) => {
            Some(Recorder::create(path, &header, args.overwrite).map_err(Failure::input)?)
        }
        None => None,
    };
    let plan = super::demo_live::DemoPlan {
        scenario,
        seed: args.seed,
        from,
        at: parse_time_spec(&args.at, t0, tz)
            .map_err(|e| Failure::input(format!("--at {e}")))?
            .clamp(from, to),
        speed: match args.speed {
            Some(Speed::Factor(f)) => f,
            Some(Speed::Max) => 3600.0,
            None => 10.0,
        },
    };
    if args.headless {
        let journal = Journal::new(Fold::new(&layout, Board::default()), recorder, None);
        let sim = Simulator::new(&layout, scenario, args.seed, from);
        return headless(sim, journal, args.speed.unwrap_or(Speed::Max), from, to);
    }
    let who = crate::dash::operator_name(args.operator.as_deref());
    let dir = args
        .summaries
        .clone()
        .unwrap_or_else(crate::delivery::at_once::default_dir);
    let mut source = super::demo_live::open(&layout, plan, recorder, &who, dir)?;
    if let (Some(path), Some(plan)) = (&args.record, &room_plan) {
        source = source.serve(plan, path)?;
    }
    super::dashboard::open(&mut source, crate::tui::InputMode::Live, args.ascii)
}

/// The status timeline of the simulated event from `from` to `to` on stdout, recorded by the
/// journal when it records.
fn headless(
    mut sim: Simulator,
    mut journal: Journal,
    speed: Speed,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(), Failure> {
    let tz = journal.fold().pipeline().layout().event.tz();
    let pacer = Pacer::new(from, speed);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut t = from;
    while t < to {
        let next = (t + TimeDelta::minutes(1)).min(to);
        for batch in batches(sim.advance_to(next)) {
            let at = batch[0].at;
            pacer.wait_until(at);
            let taken = journal.record(batch, at);
            if let Some(e) = taken.error {
                return Err(Failure::runtime(e));
            }
            for entry in taken.entries {
                writeln!(out, "{}", entry.line(tz)).map_err(|e| Failure::output(&e))?;
            }
        }
        t = next;
    }
    out.flush().map_err(|e| Failure::output(&e))?;
    if let Some(rec) = journal.log() {
        eprintln!(
            "recorded {} events to {}",
            rec.events_written(),
            rec.path().display()
        );
    }
    Ok(())
}

/// The layout to simulate and the texts to embed in a recording header.
pub(super) fn load_layout(
    path: Option<&PathBuf>,
) -> Result<(Layout, EmbeddedFile, Option<EmbeddedFile>), Failure> {
    match path {
        None => {
            let (l, r) = (crate::builtin::layout(), crate::builtin::runbook());
            let layout = config::load_texts(&l, Some(&r)).map_err(Failure::input)?;
            Ok((layout, l, Some(r)))
        }
        Some(p) => {
            let layout = config::load(p).map_err(Failure::input)?;
            let l = EmbeddedFile {
                path: layout.path.clone(),
                text: layout.text.clone(),
            };
            let r = layout.runbook.as_ref().map(|rb| EmbeddedFile {
                path: rb.path.clone(),
                text: rb.text.clone(),
            });
            Ok((layout, l, r))
        }
    }
}

/// Sleeps so that event time advances `speed` times faster than real time: the virtual clock
/// (`clock::Clock`) from `origin`, or no clock at all at maximum speed.
pub(crate) struct Pacer {
    clock: Option<Clock>,
}

impl Pacer {
    pub(crate) fn new(origin: DateTime<Utc>, speed: Speed) -> Self {
        let clock = match speed {
            Speed::Factor(f) => Some(Clock::starting_at(origin).with_speed(f)),
            Speed::Max => None,
        };
        Pacer { clock }
    }

    /// Returns once the clock reads `at` (at once at maximum speed, or when it is past).
    pub(crate) fn wait_until(&self, at: DateTime<Utc>) {
        let Some(clock) = self.clock else { return };
        let Ok(ahead) = (at - clock.now()).to_std() else {
            return;
        };
        std::thread::sleep(clock.real(ahead));
    }
}
