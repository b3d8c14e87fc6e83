//! Webhook URLs are secrets: read at send time from the environment variable or the file the
//! layout names (so a rotated URL takes effect without a restart), and redacted from every
//! message that could reach a log, the screen or the event log.

use std::path::PathBuf;

/// Largest webhook URL file read (a URL is a few hundred bytes).
const MAX_URL_FILE: u64 = 64 << 10;

/// Why the URL file could not be read, without any of its bytes.
fn brief(e: &crate::config::read::ReadError) -> String {
    match e {
        crate::config::read::ReadError::Io(io) => io.kind().to_string(),
        other => other.to_string(),
    }
}

/// Where a webhook URL comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlSource {
    Env(String),
    File(PathBuf),
}

impl UrlSource {
    /// The URL, or why it cannot be had (no secret in the message).
    pub fn read(&self) -> Result<String, String> {
        let url = match self {
            UrlSource::Env(v) => {
                std::env::var(v).map_err(|_| format!("environment variable {v} is not set"))?
            }
            UrlSource::File(p) => crate::config::read::read_text(p, MAX_URL_FILE)
                .map_err(|e| format!("cannot read the URL file {}: {}", p.display(), brief(&e)))?,
        };
        let url = url.trim().to_string();
        if url.is_empty() {
            return Err("the webhook URL is empty".into());
        }
        Ok(url)
    }
}

/// `text` with the URL and its path (which carries the token) replaced by `[redacted]`.
pub(crate) fn redact(text: &str, url: &str) -> String {
    let mut out = text.replace(url, "[redacted]");
    if let Ok(u) = url.parse::<http::Uri>() {
        if let Some(pq) = u.path_and_query()
            && pq.as_str().len() > 1
        {
            out = out.replace(pq.as_str(), "/[redacted]");
        }
        if let Some(q) = u.query() {
            out = out.replace(q, "[redacted]");
            // A parameter value quoted alone (`sig=...` in a receiver's error text).
            for v in q
                .split('&')
                .filter_map(|kv| kv.split_once('=').map(|(_, v)| v))
            {
                if v.len() >= 4 {
                    out = out.replace(v, "[redacted]");
                }
            }
        }
        // Long path segments are tokens (Slack's T.../B.../secret).
        for seg in u.path().split('/').filter(|s| s.len() >= 8) {
            out = out.replace(seg, "[redacted]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_their_tokens_never_survive() {
        let url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
        let msg = format!(
            "error sending to {url}: connection refused; path /services/T000/B000/XXXXSECRET"
        );
        let r = redact(&msg, url);
        assert!(!r.contains("XXXXSECRET"), "{r}");
        assert!(r.contains("[redacted]") && r.contains("connection refused"));
        let teams = "https://x.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=1&sig=SIGSECRET";
        assert!(!redact(&format!("bad: sig=SIGSECRET at {teams}"), teams).contains("SIGSECRET"));
    }

    #[test]
    fn missing_sources_say_which_without_a_secret() {
        let e = UrlSource::Env("WARROOM_TEST_NO_SUCH_VAR_5".into())
            .read()
            .expect_err("unset");
        assert!(e.contains("WARROOM_TEST_NO_SUCH_VAR_5"));
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("url");
        std::fs::write(&f, "  https://example.com/hook  \n").expect("write");
        assert_eq!(
            UrlSource::File(f).read().as_deref(),
            Ok("https://example.com/hook")
        );
    }
}
