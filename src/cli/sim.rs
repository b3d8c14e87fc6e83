//! `warroom sim serve`: the simulated world on 127.0.0.1 over the real AWS wire protocols
//! (see `sim::serve`), at a virtual time that starts at `--at` and runs `--speed` times faster
//! than real time, with optional `--faults`. Prints the endpoint and the environment a client
//! needs, then serves until SIGINT or SIGTERM, and exits within a second of it even while
//! answers are being computed (the endpoint's bounds: `sim::serve::limits`).

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};

use super::{Failure, Speed};
use crate::clock::Clock;
use crate::sim::Scenario;
use crate::sim::serve::{self, Faults, Limits, ServeOptions};
use crate::time::parse_time_spec;

#[derive(Debug, Args)]
pub struct SimArgs {
    #[command(subcommand)]
    pub(crate) command: SimCommand,
}

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve the simulated world as an AWS endpoint on 127.0.0.1.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Scenario variant (see `warroom demo --list-scenarios`).
    #[arg(long, default_value = "army-drop-2000kst")]
    pub(crate) scenario: String,
    /// Seed of the simulated noise.
    #[arg(long, default_value_t = 42)]
    pub(crate) seed: u64,
    /// Virtual time runs this many times faster than real time (10, 60x).
    #[arg(long, default_value = "1")]
    pub(crate) speed: Speed,
    /// Virtual time at start: T-5m, 20:05 (event clock) or RFC 3339.
    #[arg(long, default_value = "T-5m")]
    pub(crate) at: String,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 4566)]
    pub(crate) port: u16,
    /// Faults, e.g. `cloudwatch:throttle@T+5m..T+8m,elbv2:5xx@T+10m..T+12m` (see
    /// docs/simulator.md).
    #[arg(long, value_name = "SPEC")]
    pub(crate) faults: Option<String>,
    /// Layout whose resources to serve (default: the built-in reference layout).
    #[arg(long, value_name = "FILE")]
    pub(crate) layout: Option<PathBuf>,
    /// Connections served at once; more are answered 503 and closed.
    #[arg(long, value_name = "N", default_value_t = serve::limits::MAX_CONNECTIONS as u32,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) max_connections: u32,
}

/// How long work still running at a signal may delay the exit.
const EXIT_GRACE: Duration = Duration::from_millis(200);

pub(crate) fn run(args: &SimArgs) -> Result<(), Failure> {
    match &args.command {
        SimCommand::Serve(a) => serve_cmd(a),
    }
}

fn serve_cmd(args: &ServeArgs) -> Result<(), Failure> {
    let scenario: Scenario = args.scenario.parse().map_err(Failure::input)?;
    let (layout, _, _) = super::demo::load_layout(args.layout.as_ref())?;
    let (t0, tz) = (layout.event.start, layout.event.tz());
    let at = parse_time_spec(&args.at, t0, tz).map_err(|e| Failure::input(format!("--at {e}")))?;
    let speed = match args.speed {
        Speed::Factor(f) => f,
        Speed::Max => return Err(Failure::input("--speed max: the endpoint needs a factor")),
    };
    let faults = match &args.faults {
        Some(spec) => Faults::parse(spec, t0, tz).map_err(Failure::input)?,
        None => Faults::default(),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::runtime(format!("cannot start the runtime: {e}")))?;
    let served = rt.block_on(async {
        let opts = ServeOptions {
            scenario,
            seed: args.seed,
            clock: Clock::starting_at(at).with_speed(speed),
            faults,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)),
        };
        // Watched before serving: once clients hold every descriptor there may be none left.
        let mut signals = {
            use signal_hook::consts::{SIGINT, SIGTERM};
            signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
                .map_err(|e| Failure::runtime(format!("cannot watch signals: {e}")))?
        };
        let limits = Limits {
            max_connections: args.max_connections as usize,
            ..Limits::default()
        };
        let handle = serve::spawn_with_limits(&layout, opts, limits)
            .await
            .map_err(|e| {
                Failure::runtime(format!("cannot listen on 127.0.0.1:{}: {e}", args.port))
            })?;
        let env: Vec<String> = handle
            .env()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let banner = format!(
            "warroom simulator endpoint: {} (scenario {scenario}, seed {}, from {} at x{speed})\n\
             use it with:\n  export {}\nstop with Ctrl-C\n",
            handle.endpoint_url(),
            args.seed,
            crate::time::t_label(at, t0),
            env.join(" "),
        );
        // The banner is a courtesy: a reader that stopped reading (`| head -3`, a test that
        // took the export line) must not bring the endpoint down with a broken pipe.
        let mut out = std::io::stdout().lock();
        if let Err(e) = out.write_all(banner.as_bytes()).and_then(|()| out.flush()) {
            tracing::warn!(error = %e, "could not print the endpoint banner; serving anyway");
        }
        drop(out);
        let stop = tokio::task::spawn_blocking(move || signals.forever().next());
        let signal = stop.await.ok().flatten();
        tracing::info!(
            ?signal,
            calls = handle.calls().len(),
            "simulator endpoint stops"
        );
        handle.shutdown().await;
        Ok(())
    });
    // An answer still being computed on a blocking thread does not hold the exit.
    rt.shutdown_timeout(EXIT_GRACE);
    served
}
