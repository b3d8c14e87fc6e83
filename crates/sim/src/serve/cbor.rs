//! Smithy RPC v2 CBOR for CloudWatch: reading request maps, writing response maps (timestamps
//! as tag 1 epoch seconds), and the error envelope (`__type`, `message`) with the
//! `x-amzn-query-error` header CloudWatch sends as an awsQuery-compatible service.

use chrono::{DateTime, Utc};
use ciborium::Value;

use super::route::{ApiError, Reply};

/// The value under `key` of a CBOR map.
pub(crate) fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_map()?
        .iter()
        .find(|(k, _)| k.as_text() == Some(key))
        .map(|(_, v)| v)
}

pub(crate) fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    get(v, key)?.as_text()
}

pub(crate) fn int(v: &Value, key: &str) -> Option<i64> {
    get(v, key)?
        .as_integer()
        .and_then(|i| i64::try_from(i).ok())
}

pub(crate) fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    get(v, key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A tag-1 timestamp (integer or float epoch seconds).
pub(crate) fn time(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    let Value::Tag(1, inner) = get(v, key)? else {
        return None;
    };
    let secs = match inner.as_ref() {
        Value::Integer(i) => i64::try_from(*i).ok()? as f64,
        Value::Float(f) => *f,
        _ => return None,
    };
    DateTime::from_timestamp_millis((secs * 1000.0).round() as i64)
}

pub(crate) fn t(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// A timestamp as CloudWatch writes it: tag 1, whole seconds as an integer.
pub(crate) fn ts(at: DateTime<Utc>) -> Value {
    let ms = at.timestamp_millis();
    let inner = if ms % 1000 == 0 {
        Value::Integer(at.timestamp().into())
    } else {
        Value::Float(ms as f64 / 1000.0)
    };
    Value::Tag(1, Box::new(inner))
}

/// A map from `(key, value)` pairs.
pub(crate) fn map(pairs: Vec<(&str, Value)>) -> Value {
    Value::Map(pairs.into_iter().map(|(k, v)| (t(k), v)).collect())
}

/// Decodes a request body (empty means an empty map).
pub(crate) fn decode(body: &[u8]) -> Result<Value, ApiError> {
    if body.is_empty() {
        return Ok(Value::Map(vec![]));
    }
    ciborium::de::from_reader(body)
        .map_err(|e| ApiError::client("SerializationException", format!("invalid CBOR: {e}")))
}

fn reply(status: u16, v: &Value, extra: Option<(&'static str, String)>) -> Reply {
    let mut body = Vec::new();
    if let Err(e) = ciborium::ser::into_writer(v, &mut body) {
        tracing::error!(error = %e, "CBOR encoding failed");
        return Reply::plain(500, "encoding failed");
    }
    let mut headers = vec![
        ("content-type", "application/cbor".to_string()),
        ("smithy-protocol", "rpc-v2-cbor".to_string()),
    ];
    headers.extend(extra);
    Reply {
        status,
        headers,
        body,
    }
}

pub(crate) fn ok(v: &Value) -> Reply {
    reply(200, v, None)
}

pub(crate) fn error(e: &ApiError) -> Reply {
    let v = map(vec![("__type", t(&e.code)), ("message", t(&e.message))]);
    reply(
        e.status,
        &v,
        Some((
            "x-amzn-query-error",
            format!("{};{}", e.code, e.fault_type()),
        )),
    )
}
