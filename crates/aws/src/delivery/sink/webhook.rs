//! The webhook sink: Slack (Block Kit) or Microsoft Teams (Adaptive Card via a Workflows
//! webhook), one JSON POST per summary. HTTP goes through hyper-util's client with rustls
//! (hyper-rustls, native roots): the same stack the AWS SDK already builds into this binary, so
//! no second HTTP/TLS stack is compiled in; a webhook needs nothing more than one POST.
//! Any 2xx is success; 429 and 503 carry `Retry-After`, which the delivery task honours.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use super::SendError;
use super::secret::{UrlSource, redact};
use crate::config::layout::WebhookFormat;
use crate::model::Summary;
use crate::summary::render::{slack, teams};

/// Longest wait for one POST.
const TIMEOUT: Duration = Duration::from_secs(30);

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

pub struct WebhookSink {
    pub(crate) name: String,
    pub(crate) format: WebhookFormat,
    source: UrlSource,
    client: Option<Client<Https, Full<Bytes>>>,
}

fn client() -> Option<Client<Https, Full<Bytes>>> {
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()
        .map_err(|e| tracing::error!("no TLS root certificates: {e}"))
        .ok()?
        .https_or_http()
        .enable_http1()
        .build();
    Some(Client::builder(TokioExecutor::new()).build(https))
}

/// `Retry-After` in seconds (the form Slack and Teams send); an HTTP date is not parsed.
fn retry_after(h: &http::HeaderMap) -> Option<Duration> {
    let v = h.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

impl WebhookSink {
    pub fn new(name: String, format: WebhookFormat, source: UrlSource) -> Self {
        WebhookSink {
            name,
            format,
            source,
            client: client(),
        }
    }

    /// The JSON body for this sink's format.
    pub fn body(&self, s: &Summary) -> serde_json::Value {
        match self.format {
            WebhookFormat::Slack => slack::payload(s),
            WebhookFormat::Teams => teams::payload(s),
        }
    }

    pub(crate) async fn send(&self, s: &Summary) -> Result<String, SendError> {
        let url = self.source.read().map_err(SendError::new)?;
        let Some(client) = &self.client else {
            return Err(SendError::new("no HTTPS client (no TLS root certificates)"));
        };
        let body = serde_json::to_vec(&self.body(s)).map_err(|e| SendError::new(e.to_string()))?;
        let req = http::Request::post(url.as_str())
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| SendError::new(redact(&format!("bad webhook URL: {e}"), &url)))?;
        let resp = match tokio::time::timeout(TIMEOUT, client.request(req)).await {
            Err(_) => return Err(SendError::new("no answer within 30s")),
            Ok(Err(e)) => {
                let mut msg = e.to_string();
                let mut src = std::error::Error::source(&e);
                while let Some(s) = src {
                    msg.push_str(": ");
                    msg.push_str(&s.to_string());
                    src = s.source();
                }
                return Err(SendError::new(redact(&msg, &url)));
            }
            Ok(Ok(r)) => r,
        };
        let status = resp.status();
        let wait = retry_after(resp.headers());
        let text = match tokio::time::timeout(TIMEOUT, resp.into_body().collect()).await {
            Ok(Ok(b)) => String::from_utf8_lossy(&b.to_bytes()).into_owned(),
            _ => String::new(),
        };
        if status.is_success() {
            return Ok(format!("HTTP {}", status.as_u16()));
        }
        let snippet: String = text.chars().take(200).collect();
        let detail = redact(
            &format!("HTTP {status} {}", crate::sanitize::strip(snippet.trim())),
            &url,
        );
        Err(SendError {
            detail: detail.trim_end().to_string(),
            retry_after: wait,
        })
    }
}
