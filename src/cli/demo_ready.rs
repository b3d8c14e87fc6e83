//! `warroom demo --readiness`: the readiness report of the layout (the reference by default)
//! against the simulator's AWS endpoint at `--at`, in process: the same reads and checks as
//! `warroom ready` against `sim serve`, without a second terminal, and the same exit code.

use std::net::{Ipv4Addr, SocketAddr};

use super::Failure;
use super::demo::DemoArgs;
use crate::clock::Clock;
use crate::live::session;
use crate::loopback;
use crate::ready::render;
use crate::ready_aws::{self, ReadyClients};
use crate::sim::Scenario;
use crate::sim::serve::{self, Faults, ServeOptions};
use crate::time::parse_time_spec;

pub fn run(args: &DemoArgs) -> Result<(), Failure> {
    let scenario: Scenario = args.scenario.parse().map_err(Failure::input)?;
    let (layout, _, _) = super::demo::load_layout(args.layout.as_ref())?;
    let layout = &layout;
    let at = parse_time_spec(&args.at, layout.event.start, layout.event.tz())
        .map_err(|e| Failure::input(format!("--at {e}")))?;
    let runtime = session::runtime().map_err(|e| Failure::runtime(format!("cannot start: {e}")))?;
    let report = runtime.block_on(async {
        let endpoint = serve::spawn(
            layout,
            ServeOptions {
                scenario,
                seed: args.seed,
                clock: Clock::starting_at(at),
                faults: Faults::default(),
                addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            },
        )
        .await?;
        let conf = loopback::sdk_config(&endpoint.endpoint_url()).await;
        let clients = ReadyClients::from_sdk_config(&conf, &ready_aws::regions(layout));
        let report = ready_aws::report(layout, &clients, at, false).await;
        endpoint.shutdown().await;
        Ok::<_, std::io::Error>(report)
    });
    let report =
        report.map_err(|e| Failure::runtime(format!("cannot start the simulator: {e}")))?;
    let mut out = std::io::stdout().lock();
    std::io::Write::write_all(&mut out, render::text(&report).as_bytes())
        .map_err(|e| Failure::output(&e))?;
    super::ready::verdict(&report)
}
