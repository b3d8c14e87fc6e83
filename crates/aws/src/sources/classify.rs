//! Error classification: turns any AWS SDK error into the `SourceState` the room sees
//! (throttled, credentials expired, slow, error) and a short, secret-free detail string.

use std::error::Error as StdError;

use aws_credential_types::provider::error::{CredentialsError, TokenError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::model::SourceState;

/// Error codes AWS services use for rate limiting.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "LimitExceededException",
];

/// Error codes meaning the credentials are expired or not valid (re-login needed).
const CREDENTIAL_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
];

const TIMEOUT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// Longest detail string kept; AWS messages can be long.
const MAX_DETAIL: usize = 200;

/// One failed AWS call, already classified: which operation, what state it puts the source in,
/// and a detail string safe to show and record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{op}: {detail}")]
pub struct CallError {
    pub(crate) op: &'static str,
    pub state: SourceState,
    pub(crate) detail: String,
}

impl CallError {
    /// Classifies an SDK error of operation `op` (e.g. `"GetMetricData"`).
    pub(crate) fn from_sdk<E>(op: &'static str, err: &SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + StdError + 'static,
    {
        let (state, detail) = classify(err);
        CallError {
            op,
            state,
            detail: scrub(&detail),
        }
    }
}

/// The state and an unscrubbed detail for one SDK error.
pub(crate) fn classify<E>(err: &SdkError<E, HttpResponse>) -> (SourceState, String)
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    if let Some(detail) = credential_failure(err) {
        return (SourceState::CredentialsExpired, detail);
    }
    match err {
        SdkError::TimeoutError(_) => (SourceState::Slow, "timed out".to_string()),
        SdkError::DispatchFailure(d) if d.is_timeout() => {
            (SourceState::Slow, "connection timed out".to_string())
        }
        SdkError::DispatchFailure(_) => (
            SourceState::Error,
            format!("connection failed: {}", chain(err)),
        ),
        SdkError::ServiceError(ctx) => {
            let e = ctx.err();
            by_code(e.code(), e.message(), ctx.raw().status().as_u16())
        }
        SdkError::ResponseError(ctx) => by_code(None, None, ctx.raw().status().as_u16()),
        _ => (SourceState::Error, chain(err)),
    }
}

fn by_code(code: Option<&str>, message: Option<&str>, status: u16) -> (SourceState, String) {
    let text = match (code, message) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c.to_string(),
        (None, Some(m)) => format!("HTTP {status}: {m}"),
        (None, None) => format!("HTTP {status}"),
    };
    let code = code.unwrap_or("");
    let state = if THROTTLING_CODES.contains(&code) || status == 429 {
        SourceState::Throttled
    } else if CREDENTIAL_CODES.contains(&code) {
        SourceState::CredentialsExpired
    } else if TIMEOUT_CODES.contains(&code) || status == 504 {
        SourceState::Slow
    } else {
        SourceState::Error
    };
    (state, text)
}

/// A credential-provider or SSO token failure anywhere in the error's source chain.
fn credential_failure(err: &(dyn StdError + 'static)) -> Option<String> {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        if e.downcast_ref::<CredentialsError>().is_some()
            || e.downcast_ref::<TokenError>().is_some()
        {
            return Some(format!("credentials: {}", chain(e)));
        }
        cur = e.source();
    }
    let text = chain(err).to_ascii_lowercase();
    (text.contains("sso") && text.contains("expired"))
        .then(|| "SSO session expired: run `aws sso login`".to_string())
}

/// The error and its sources joined with `: `.
fn chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}

/// Control, escape and bidi characters stripped (`sanitize::strip`), access key ids redacted,
/// length bounded.
pub(crate) fn scrub(text: &str) -> String {
    let clean = crate::sanitize::strip(text);
    let words: Vec<String> = clean
        .split(' ')
        .map(|w| {
            if looks_like_key_id(w) {
                "<key-id>".to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    let mut out = words.join(" ");
    if out.chars().count() > MAX_DETAIL {
        out = out.chars().take(MAX_DETAIL).collect::<String>() + "...";
    }
    out
}

/// `AKIA...`/`ASIA...` followed by 16 upper-case letters or digits, anywhere in the word.
fn looks_like_key_id(word: &str) -> bool {
    let b = word.as_bytes();
    b.windows(20).any(|w| {
        (w.starts_with(b"AKIA") || w.starts_with(b"ASIA"))
            && w[4..]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    })
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
