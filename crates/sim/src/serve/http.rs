//! The HTTP/1.1 side (hyper) of one connection: reads each request within the `Limits` (a
//! request over the size limit is refused with 413 before its body is read; a body that does
//! not arrive in time gets 408; a head that does not, or an idle connection, is closed), applies
//! the active fault, answers through `route` off the I/O threads (a blocking task, a few at
//! once, so a heavy answer never holds up accepting or reading), and journals the call.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::HeaderMap;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::Call;
use super::faults::FaultKind;
use super::limits::Limits;
use super::route::{self, ApiError, Ctx, Identified, Reply};
use super::stall::StallGuard;
use super::state::Served;

/// Answers computed at once (the world is one lock: more would only wait on it).
const ANSWERS_AT_ONCE: usize = 2;

/// What every connection of one endpoint shares.
pub(crate) struct Endpoint {
    pub(crate) served: Arc<Served>,
    pub(crate) limits: Limits,
    answers: Semaphore,
}

impl Endpoint {
    pub(crate) fn new(served: Arc<Served>, limits: Limits) -> Self {
        Endpoint {
            served,
            limits,
            answers: Semaphore::new(ANSWERS_AT_ONCE),
        }
    }

    /// The world's answer, computed on a blocking thread.
    async fn answer(&self, id: Identified, body: Bytes, ctx: Ctx) -> (Reply, Ctx) {
        let fallback = ctx.clone();
        let Ok(_turn) = self.answers.acquire().await else {
            return (Reply::plain(503, "shutting down"), fallback);
        };
        let served = Arc::clone(&self.served);
        let job = tokio::task::spawn_blocking(move || {
            let mut ctx = ctx;
            let reply = route::answer(&served, &id, &body, &mut ctx);
            (reply, ctx)
        });
        match job.await {
            Ok(done) => done,
            Err(e) => {
                tracing::error!(error = %e, "answer failed");
                (Reply::plain(500, "internal error"), fallback)
            }
        }
    }
}

/// The error that makes hyper close a connection without answering (the `drop` fault).
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by fault injection")]
struct Dropped;

/// Serves one accepted connection; `slot` is its place under the connection limit.
pub(crate) async fn serve_connection(
    stream: TcpStream,
    endpoint: Arc<Endpoint>,
    slot: OwnedSemaphorePermit,
) {
    let limits = endpoint.limits;
    let io = TokioIo::new(StallGuard::new(stream, limits.write_timeout));
    let svc = service_fn(move |req| handle(Arc::clone(&endpoint), req));
    if let Err(e) = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(limits.max_header_bytes)
        .serve_connection(io, svc)
        .await
    {
        tracing::debug!(error = %e, "simulator connection ended");
    }
    drop(slot);
}

fn response(r: Reply) -> Response<Full<Bytes>> {
    let mut b = Response::builder().status(r.status);
    for (k, v) in r.headers {
        b = b.header(k, v);
    }
    b = b.header("x-amzn-requestid", "5c0f4e7a-0000-4000-8000-000000000000");
    b.body(Full::new(Bytes::from(r.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// A reply after which the connection is closed (the rest of the request is never read).
fn closing(mut r: Reply) -> Reply {
    r.headers.push(("connection", "close".into()));
    r
}

/// 413 in the protocol of the service the request is for (plain text when it is none).
fn too_large(path: &str, headers: &HeaderMap, max: usize) -> Reply {
    let e = ApiError::new(
        413,
        "RequestEntityTooLarge",
        format!("Request size exceeded {max} bytes"),
    );
    let reply = match route::identify(path, headers, b"") {
        Ok(id) => route::id_error(&id, &e),
        Err(_) => Reply::plain(413, &e.message),
    };
    closing(reply)
}

/// The declared body length, when there is one.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(hyper::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// The whole body within the limits, or the answer for one that is not.
async fn read_body(
    limits: &Limits,
    parts: &hyper::http::request::Parts,
    body: Incoming,
) -> Result<Bytes, Reply> {
    let max = limits.max_body_bytes;
    if declared_length(&parts.headers).is_some_and(|n| n > max as u64) {
        return Err(too_large(parts.uri.path(), &parts.headers, max));
    }
    match tokio::time::timeout(limits.body_timeout, Limited::new(body, max).collect()).await {
        Ok(Ok(b)) => Ok(b.to_bytes()),
        Ok(Err(e)) if e.is::<LengthLimitError>() => {
            Err(too_large(parts.uri.path(), &parts.headers, max))
        }
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "request body unreadable");
            Err(closing(Reply::plain(400, "unreadable body")))
        }
        // As AWS answers a body that stalls: 408, nothing else, and the connection closed.
        Err(_) => Err(closing(Reply {
            status: 408,
            headers: vec![],
            body: vec![],
        })),
    }
}

async fn handle(
    endpoint: Arc<Endpoint>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = req.into_parts();
    let body = match read_body(&endpoint.limits, &parts, body).await {
        Ok(b) => b,
        Err(reply) => return Ok(response(reply)),
    };
    let target = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path(), |p| p.as_str());
    let id = match route::identify(target, &parts.headers, &body) {
        Ok(id) => id,
        Err(reply) => return Ok(response(reply)),
    };
    let served = &endpoint.served;
    let now = served.now();
    let fault = served.faults.active(id.service, now);
    let ctx = Ctx {
        region: id.region.clone(),
        now,
        resource: String::new(),
        window: None,
    };
    let (reply, ctx) = match fault {
        Some(FaultKind::Malformed) => (route::malformed(id.service), ctx),
        Some(FaultKind::Drop) => (Reply::plain(500, ""), ctx),
        Some(k) => match k.error(id.service) {
            Some(e) => (route::id_error(&id, &e), ctx),
            None => endpoint.answer(id.clone(), body, ctx).await,
        },
        None => endpoint.answer(id.clone(), body, ctx).await,
    };
    tracing::debug!(service = %id.service, op = %id.op, region = %id.region, status = reply.status, fault = ?fault, "served");
    served.record(Call {
        service: id.service,
        op: id.op,
        region: id.region,
        at: now,
        resource: ctx.resource,
        window: ctx.window,
        fault,
    });
    match fault {
        Some(FaultKind::Drop) => Err(Dropped),
        Some(FaultKind::Slow) => {
            tokio::time::sleep(served.faults.slow_delay).await;
            Ok(response(reply))
        }
        _ => Ok(response(reply)),
    }
}
