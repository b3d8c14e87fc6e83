//! AWS JSON 1.1 (Global Accelerator, WAFv2, CloudWatch Logs): request bodies, responses with
//! `application/x-amz-json-1.1`, errors as `{"__type": code, "message": ...}`, timestamps as
//! epoch seconds (milliseconds as a fraction).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::route::{ApiError, Reply};

pub(crate) fn decode(body: &[u8]) -> Result<Value, ApiError> {
    if body.is_empty() {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::client("SerializationException", format!("invalid JSON: {e}")))
}

pub(crate) fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)?.as_str()
}

pub(crate) fn int_of(v: &Value, key: &str) -> Option<i64> {
    v.get(key)?.as_i64()
}

/// An epoch-seconds timestamp (integer or fractional).
pub(crate) fn time_of(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    let secs = v.get(key)?.as_f64()?;
    DateTime::from_timestamp_millis((secs * 1000.0).round() as i64)
}

/// A timestamp as epoch seconds with millisecond precision.
pub(crate) fn epoch(at: DateTime<Utc>) -> Value {
    let ms = at.timestamp_millis();
    if ms % 1000 == 0 {
        Value::from(at.timestamp())
    } else {
        Value::from(ms as f64 / 1000.0)
    }
}

fn reply(status: u16, v: &Value) -> Reply {
    Reply {
        status,
        headers: vec![("content-type", "application/x-amz-json-1.1".into())],
        body: serde_json::to_vec(v).unwrap_or_default(),
    }
}

pub(crate) fn ok(v: &Value) -> Reply {
    reply(200, v)
}

pub(crate) fn error(e: &ApiError) -> Reply {
    let mut r = reply(
        e.status,
        &serde_json::json!({ "__type": e.code, "message": e.message }),
    );
    r.headers.push(("x-amzn-errortype", e.code.clone()));
    r
}

/// Offset pagination: `(skip, next token)` for a list of `len` items in pages of `page`.
pub(crate) fn paginate(
    token: Option<&str>,
    len: usize,
    page: usize,
    code: &str,
) -> Result<(usize, usize, Option<String>), ApiError> {
    let skip = match token {
        None | Some("") => 0,
        Some(t) => t
            .strip_prefix("wr-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= len)
            .ok_or_else(|| ApiError::client(code, format!("invalid token {t:?}")))?,
    };
    let end = (skip + page.max(1)).min(len);
    Ok((skip, end, (end < len).then(|| format!("wr-{end}"))))
}
