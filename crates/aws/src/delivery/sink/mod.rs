//! Where summaries go: the layout's `[[summary.sink]]`s made concrete. Each sink has a name that
//! is safe to log and to write in the event log (never a URL) and one async `send`. A failed
//! send says why (redacted) and, for HTTP 429, how long the receiver asked us to wait.

pub mod directory;
pub mod secret;
pub mod sns;
pub mod webhook;

use std::path::Path;
use std::time::Duration;

use crate::config::layout::{Layout, Sink as SinkConfig};
use crate::model::Summary;

pub(crate) use directory::DirectorySink;
pub use sns::SnsSink;
pub use webhook::WebhookSink;

/// Why a send failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    /// What went wrong, with secrets redacted.
    pub detail: String,
    /// The receiver's `Retry-After` (HTTP 429 or 503).
    pub(crate) retry_after: Option<Duration>,
}

impl SendError {
    pub fn new(detail: impl Into<String>) -> Self {
        SendError {
            detail: detail.into(),
            retry_after: None,
        }
    }
}

/// One delivery channel.
pub enum Sink {
    Directory(DirectorySink),
    Webhook(Box<WebhookSink>),
    Sns(SnsSink),
}

impl Sink {
    /// The name written in `summary_delivery` events and logs.
    pub(crate) fn name(&self) -> &str {
        match self {
            Sink::Directory(s) => &s.name,
            Sink::Webhook(s) => &s.name,
            Sink::Sns(s) => &s.name,
        }
    }

    /// Delivers one summary; on success, a short description of what was done.
    pub(crate) async fn send(&self, s: &Summary) -> Result<String, SendError> {
        match self {
            Sink::Directory(d) => d.send(s),
            Sink::Webhook(w) => w.send(s).await,
            Sink::Sns(n) => n.send(s).await,
        }
    }
}

/// The name of a configured sink (one naming, in the layout's [`SinkConfig::name`]).
pub fn sink_name(c: &SinkConfig) -> String {
    c.name()
}

/// Every sink name of the layout, in layout order.
pub fn sink_names(layout: &Layout) -> Vec<String> {
    layout.summary.sinks.iter().map(sink_name).collect()
}

/// Builds the layout's sinks. Relative paths (directory sinks, URL files) are resolved against
/// `base`; SNS sinks get a client for their region from the default credential chain.
pub async fn from_layout(layout: &Layout, base: &Path) -> Vec<Sink> {
    let mut out = Vec::new();
    for c in &layout.summary.sinks {
        let name = sink_name(c);
        let sink = match c {
            SinkConfig::Directory { path } => {
                Sink::Directory(DirectorySink::new(name, base.join(path)))
            }
            SinkConfig::Webhook {
                format,
                url_env,
                url_file,
            } => {
                let source = match (url_env, url_file) {
                    (Some(v), _) => secret::UrlSource::Env(v.clone()),
                    (None, Some(p)) => secret::UrlSource::File(base.join(p)),
                    (None, None) => continue,
                };
                Sink::Webhook(Box::new(WebhookSink::new(name, *format, source)))
            }
            SinkConfig::Sns { topic_arn, region } => {
                let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
                    .region(aws_config::Region::new(region.clone()))
                    .load()
                    .await;
                let client = aws_sdk_sns::Client::new(&conf);
                Sink::Sns(SnsSink::new(name, client, topic_arn.clone()))
            }
        };
        out.push(sink);
    }
    out
}
