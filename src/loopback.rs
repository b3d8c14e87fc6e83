//! The demo's live path: the in-process simulator endpoint (`sim::serve`) on 127.0.0.1 with a
//! free port, a `ClientSet` of real SDK clients pointed at it with the endpoint's static
//! credentials, and the real pollers (`LiveSession`) reading the same virtual `Clock` as the
//! endpoint, so `warroom demo` runs exactly the code `warroom watch` runs against AWS.
//!
//! The clients use the live timeouts and retry (`sources::clients`); only the endpoint and the
//! credentials differ. Nothing here reads the user's AWS profile or credentials.

use std::net::{Ipv4Addr, SocketAddr};

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use tokio::runtime::Runtime;

use crate::board::Board;
use crate::clock::Clock;
use crate::config::Layout;
use crate::live::{LiveSession, Route};
use crate::sim::Scenario;
use crate::sim::serve::{self, Faults, ServeHandle, ServeOptions};
use crate::source::layout_sources;
use crate::sources::ClientSet;
use crate::sources::clients::{retry_config, timeout_config};

/// What the demo simulates and how fast.
#[derive(Debug, Clone)]
pub struct LoopbackOptions {
    pub scenario: Scenario,
    pub seed: u64,
    /// Shared by the endpoint and the pollers (and the screen).
    pub clock: Clock,
    pub faults: Faults,
}

/// The pollers running against the endpoint; the endpoint stops when this is dropped.
pub struct Loopback {
    pub session: LiveSession,
    pub endpoint: ServeHandle,
}

impl Loopback {
    /// The credentials label of the demo's route, shown in the footer: `simulator 127.0.0.1:P`.
    pub fn label(&self) -> String {
        format!("simulator {}", self.endpoint.addr)
    }

    /// The status board of the demo's sources, each labelled with the endpoint.
    pub fn board(&self, layout: &Layout) -> Board {
        let who = self.label();
        Board::new(
            layout_sources(layout)
                .into_iter()
                .map(|id| (id.to_string(), who.clone())),
        )
    }
}

/// The route whose clients talk to the endpoint at `url`.
pub async fn route(url: &str, layout: &Layout) -> Route {
    let conf = sdk_config(url).await;
    let clients = ClientSet::from_sdk_config(&conf, &layout.regions());
    Route::all(clients, format!("simulator {url}"))
}

/// The SDK config of clients talking to the endpoint at `url` (its static credentials).
pub async fn sdk_config(url: &str) -> aws_config::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            serve::ACCESS_KEY_ID,
            serve::SECRET_ACCESS_KEY,
            None,
            None,
            "warroom-simulator",
        ))
        .endpoint_url(url)
        .timeout_config(timeout_config())
        .retry_config(retry_config())
        .load()
        .await
}

/// Starts the endpoint on 127.0.0.1 (a free port) and the layout's pollers against it, both on
/// `runtime` and on `opts.clock`.
pub fn start(
    runtime: Runtime,
    layout: &Layout,
    opts: LoopbackOptions,
) -> std::io::Result<Loopback> {
    let serve_opts = ServeOptions {
        scenario: opts.scenario,
        seed: opts.seed,
        clock: opts.clock,
        faults: opts.faults,
        addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    };
    let (endpoint, route) = runtime.block_on(async {
        let endpoint = serve::spawn(layout, serve_opts).await?;
        let route = route(&endpoint.endpoint_url(), layout).await;
        Ok::<_, std::io::Error>((endpoint, route))
    })?;
    tracing::info!(endpoint = %endpoint.endpoint_url(), "demo pollers start against the simulator endpoint");
    Ok(Loopback {
        session: LiveSession::start_with_clock(runtime, layout, &[route], opts.clock),
        endpoint,
    })
}
