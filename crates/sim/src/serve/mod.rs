//! The AWS-compatible simulator endpoint: serves the simulated `World` at the virtual time of a
//! shared `clock::Clock` over the real wire protocols, so the real pollers (and
//! the AWS CLI, or any SDK) run against it unchanged with `AWS_ENDPOINT_URL=http://127.0.0.1:P`.
//!
//! Data flow: `accept` takes connections on loopback within the connection limit; `http` reads
//! each HTTP/1.1 request within the size and time `limits` (`stall` bounds a stalled answer);
//! `route` tells the
//! service, operation and region (SigV4 credential scope) apart; `faults` may replace the answer
//! (throttling, 5xx, slow, dropped connection, expired token, malformed body); the protocol
//! modules answer from the world: `cloudwatch` (Smithy RPC v2 CBOR, `cbor`; its alarm history in
//! `alarm_history`), `elbv2` (AWS query,
//! XML), `ga`, `waf`, `logs` (AWS JSON 1.1, `json`). Every call is kept in a journal
//! (`ServeHandle::calls`): service, operation, region, virtual time, resource, window, fault.
//!
//! What the world does not model is answered as AWS would for a resource that does not exist
//! (not found, empty lists). Log filter patterns and Insights query filters are not applied: the
//! world's log groups hold error lines only, which is what the layout's filters select.

mod accept;
mod alarm_history;
mod cbor;
mod cloudwatch;
mod elbv2;
pub mod faults;
mod ga;
mod http;
mod json;
pub mod limits;
mod list_metrics;
mod logs;
mod quota_math;
mod ready_compute;
mod ready_data;
mod ready_dns;
mod route;
mod stall;
mod state;
mod waf;
mod waf_acl;
mod xml;

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::Scenario;
use crate::clock::Clock;
use crate::config::Layout;

pub use faults::{FaultKind, FaultSpecError, Faults};
pub use limits::Limits;
pub use route::Service;

/// Access key the endpoint suggests (it checks the credential scope, not the signature).
pub const ACCESS_KEY_ID: &str = "AKIDWARROOMSIM";
pub const SECRET_ACCESS_KEY: &str = "warroom-sim-secret";

/// One call served, as the journal keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub service: Service,
    pub op: String,
    pub region: String,
    /// Virtual time at which the call was answered.
    pub at: DateTime<Utc>,
    /// The resource asked about (ARN, name, log group), empty when none.
    pub resource: String,
    /// The time window the request asked for, when it has one.
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The fault that replaced the answer, if any.
    pub fault: Option<FaultKind>,
}

/// What to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub scenario: Scenario,
    pub seed: u64,
    /// The virtual clock the world is read at (share it with in-process pollers).
    pub clock: Clock,
    pub faults: Faults,
    /// Where to listen; port 0 picks a free one.
    pub addr: SocketAddr,
}

/// A running endpoint. Dropping it (or `shutdown`) stops accepting and closes every connection.
pub struct ServeHandle {
    pub addr: SocketAddr,
    served: Arc<state::Served>,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl ServeHandle {
    /// `http://127.0.0.1:P`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The environment a client needs (endpoint, static credentials, and the virtual clock for
    /// `warroom collect`'s game-day mode), one `K=V` per line.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("AWS_ENDPOINT_URL".into(), self.endpoint_url()),
            ("AWS_ACCESS_KEY_ID".into(), ACCESS_KEY_ID.into()),
            ("AWS_SECRET_ACCESS_KEY".into(), SECRET_ACCESS_KEY.into()),
            ("AWS_REGION".into(), "us-east-1".into()),
            (
                crate::clock::sim::ENV.into(),
                crate::clock::sim::spec(&self.served.clock),
            ),
        ]
    }

    /// Every call served so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.served.calls()
    }

    /// Stops accepting connections, closes the open ones and waits for that to be done.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }
}

/// Starts the endpoint for the resources of `layout` (T0 is its `event.start`) on `opts.addr`,
/// within the default [`Limits`].
pub async fn spawn(layout: &Layout, opts: ServeOptions) -> std::io::Result<ServeHandle> {
    spawn_with_limits(layout, opts, Limits::default()).await
}

/// [`spawn`] within `limits`.
pub async fn spawn_with_limits(
    layout: &Layout,
    opts: ServeOptions,
    limits: Limits,
) -> std::io::Result<ServeHandle> {
    let listener = tokio::net::TcpListener::bind(opts.addr).await?;
    let addr = listener.local_addr()?;
    let served = Arc::new(state::Served::new(layout, &opts));
    let endpoint = Arc::new(http::Endpoint::new(Arc::clone(&served), limits));
    let (tx, rx) = watch::channel(false);
    let task = tokio::spawn(accept::accept_loop(listener, endpoint, rx));
    tracing::info!(%addr, scenario = %opts.scenario, seed = opts.seed, ?limits, "simulator endpoint listening");
    Ok(ServeHandle {
        addr,
        served,
        shutdown: tx,
        task,
    })
}

/// The endpoint without the network: answers one request in process, for benchmarks and for
/// tests of the wire format. `headers` are (name, value) pairs as a client sends them.
pub struct InProcess {
    served: state::Served,
}

impl InProcess {
    pub fn new(layout: &Layout, opts: &ServeOptions) -> Self {
        InProcess {
            served: state::Served::new(layout, opts),
        }
    }

    /// The status and body of the answer to one request (faults are not applied).
    pub fn call(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, Vec<u8>) {
        let mut map = hyper::header::HeaderMap::new();
        for (k, v) in headers {
            if let (Ok(k), Ok(v)) = (
                hyper::header::HeaderName::from_bytes(k.as_bytes()),
                hyper::header::HeaderValue::from_str(v),
            ) {
                map.insert(k, v);
            }
        }
        let reply = match route::identify(path, &map, body) {
            Ok(id) => {
                let mut ctx = route::Ctx {
                    region: id.region.clone(),
                    now: self.served.now(),
                    resource: String::new(),
                    window: None,
                };
                route::answer(&self.served, &id, body, &mut ctx)
            }
            Err(r) => r,
        };
        (reply.status, reply.body)
    }
}
