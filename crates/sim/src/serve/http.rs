//! The HTTP/1.1 side (hyper): accepts connections on loopback until shut down, reads each
//! request, applies the active fault, answers through `route`, and journals the call.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::Call;
use super::faults::FaultKind;
use super::route::{self, Ctx, Reply};
use super::state::Served;

/// The error that makes hyper close a connection without answering (the `drop` fault).
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by fault injection")]
struct Dropped;

/// Accepts connections until `shutdown` turns true.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    served: Arc<Served>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let served = Arc::clone(&served);
                    tokio::spawn(async move {
                        let svc = service_fn(move |req| handle(Arc::clone(&served), req));
                        if let Err(e) = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), svc)
                            .await
                        {
                            tracing::debug!(error = %e, "simulator connection ended");
                        }
                    });
                }
                Err(e) => tracing::warn!(error = %e, "accept failed"),
            },
            _ = shutdown.changed() => return,
        }
    }
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

async fn handle(
    served: Arc<Served>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            tracing::debug!(error = %e, "request body unreadable");
            return Ok(response(Reply::plain(400, "unreadable body")));
        }
    };
    let target = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path(), |p| p.as_str());
    let id = match route::identify(target, &parts.headers, &body) {
        Ok(id) => id,
        Err(reply) => return Ok(response(reply)),
    };
    let now = served.now();
    let fault = served.faults.active(id.service, now);
    let mut ctx = Ctx {
        region: id.region.clone(),
        now,
        resource: String::new(),
        window: None,
    };
    let reply = match fault {
        None | Some(FaultKind::Slow) => route::answer(&served, &id, &body, &mut ctx),
        Some(FaultKind::Malformed) => route::malformed(id.service),
        Some(FaultKind::Drop) => Reply::plain(500, ""),
        Some(k) => match k.error(id.service) {
            Some(e) => route::error_reply(id.service, &e),
            None => route::answer(&served, &id, &body, &mut ctx),
        },
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
