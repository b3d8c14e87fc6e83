//! `CloudWatch` Logs: the last error lines (`FilterLogEvents` newest first, limit 20, the layout's
//! filter pattern) and per-minute error counts (a Logs Insights `stats count(*) by bin(1m)`
//! query over the last 15 minutes, polled until Complete, bounded), as one `LogBatch`.
//!
//! Budget: `FilterLogEvents` has a hard 5 TPS per account and region. One poll of a log group
//! makes 1 `FilterLogEvents` (at most `MAX_FILTER_PAGES` when AWS returns empty pages), 1
//! `StartQuery` and 1 to `MAX_RESULT_POLLS` `GetQueryResults` spaced `RESULT_POLL_INTERVAL` apart:
//! at the 60 s logs cadence that is well under 1 call per second per group. A query still
//! running after the last poll is left to Logs' own timeout (`StopQuery` is not called, which
//! keeps the IAM policy read-only).

use std::time::Duration;

use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types::{QueryStatus, ResultField};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};

use super::classify::CallError;
use crate::model::{LogBatch, LogCount, LogLine, SourceState};

pub(crate) const LINES: i32 = 20;
pub(crate) const COUNT_WINDOW: TimeDelta = TimeDelta::minutes(15);
/// How far back `FilterLogEvents` looks for the last lines.
pub const LINES_WINDOW: TimeDelta = TimeDelta::hours(1);
pub const MAX_FILTER_PAGES: usize = 3;
pub const MAX_RESULT_POLLS: usize = 10;
pub const RESULT_POLL_INTERVAL: Duration = Duration::from_secs(1);

#[derive(Debug, thiserror::Error)]
pub enum LogsError {
    #[error(transparent)]
    Call(#[from] CallError),
    #[error("Logs Insights query {0}")]
    Query(String),
}

impl LogsError {
    pub fn state(&self) -> SourceState {
        match self {
            LogsError::Call(c) => c.state,
            LogsError::Query(q) if q.starts_with("still running") => SourceState::Slow,
            LogsError::Query(_) => SourceState::Error,
        }
    }
}

/// A log group given by ARN (another account's) rather than by name. AWS takes a name as
/// `logGroupName(s)` and an ARN only as `logGroupIdentifier(s)`; names go in the former, which
/// every implementation of the API accepts (moto ignores the identifier parameters).
pub fn is_arn(group: &str) -> bool {
    group.starts_with("arn:")
}

/// The newest `LINES` events matching `filter`, newest first as returned.
pub async fn recent_lines(
    client: &Client,
    group: &str,
    filter: &str,
    now: DateTime<Utc>,
) -> Result<Vec<LogLine>, LogsError> {
    let mut lines = vec![];
    let mut token: Option<String> = None;
    for _ in 0..MAX_FILTER_PAGES {
        let out = client
            .filter_log_events()
            .set_log_group_name((!is_arn(group)).then(|| group.to_string()))
            .set_log_group_identifier(is_arn(group).then(|| group.to_string()))
            .filter_pattern(filter)
            .start_time((now - LINES_WINDOW).timestamp_millis())
            .end_time(now.timestamp_millis())
            .start_from_head(false)
            .limit(LINES)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| CallError::from_sdk("FilterLogEvents", &e))?;
        lines.extend(out.events().iter().map(|e| {
            LogLine {
                ts: e
                    .timestamp()
                    .and_then(DateTime::from_timestamp_millis)
                    .unwrap_or(now),
                stream: e.log_stream_name().map(ToString::to_string),
                message: e.message().unwrap_or_default().to_string(),
            }
        }));
        // Pages may come back empty while a token still exists.
        match out.next_token() {
            Some(t) if lines.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    lines.truncate(usize::try_from(LINES).unwrap_or(20));
    Ok(lines)
}

/// The Logs Insights query counting `filter` matches per minute, or None when the filter
/// pattern has no Insights equivalent here (JSON and space-delimited patterns).
pub(crate) fn insights_query(filter: &str) -> Option<String> {
    let filter = filter.trim();
    if filter.starts_with('{') || filter.starts_with('[') {
        return None;
    }
    let (mut any, mut all, mut none) = (vec![], vec![], vec![]);
    for term in filter.split_whitespace() {
        let (list, t) = if let Some(t) = term.strip_prefix('?') {
            (&mut any, t)
        } else if let Some(t) = term.strip_prefix('-') {
            (&mut none, t)
        } else {
            (&mut all, term)
        };
        let t = t.trim_matches('"');
        if !t.is_empty() {
            list.push(regex_escape(t));
        }
    }
    let mut conds: Vec<String> = all.iter().map(|t| format!("@message like /{t}/")).collect();
    if !any.is_empty() {
        conds.push(format!("@message like /{}/", any.join("|")));
    }
    conds.extend(none.iter().map(|t| format!("@message not like /{t}/")));
    let filter_stage = if conds.is_empty() {
        String::new()
    } else {
        format!("filter {} | ", conds.join(" and "))
    };
    Some(format!(
        "{filter_stage}stats count(*) as errors by bin(1m) as minute | sort minute asc"
    ))
}

fn regex_escape(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        if r"\/.^$|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Rows `[{minute, ...}, {errors, ...}]` as counts, oldest first; unparsable rows skipped.
pub(crate) fn parse_counts(rows: &[Vec<ResultField>]) -> Vec<LogCount> {
    let mut out: Vec<LogCount> = rows
        .iter()
        .filter_map(|row| {
            let get = |name: &str| row.iter().find(|f| f.field() == Some(name))?.value();
            let ts = NaiveDateTime::parse_from_str(get("minute")?, "%Y-%m-%d %H:%M:%S%.f").ok()?;
            let count = get("errors")?.parse::<f64>().ok()?;
            Some(LogCount {
                ts: ts.and_utc(),
                count: count.max(0.0) as u64,
            })
        })
        .collect();
    out.sort_by_key(|c| c.ts);
    out
}

/// Errors per minute over the last `COUNT_WINDOW` (empty when the filter has no Insights form).
pub(crate) async fn error_counts(
    client: &Client,
    group: &str,
    filter: &str,
    now: DateTime<Utc>,
) -> Result<Vec<LogCount>, LogsError> {
    let Some(query) = insights_query(filter) else {
        tracing::debug!(group, "filter pattern has no Insights form; counts skipped");
        return Ok(vec![]);
    };
    let started = client
        .start_query()
        .set_log_group_names((!is_arn(group)).then(|| vec![group.to_string()]))
        .set_log_group_identifiers(is_arn(group).then(|| vec![group.to_string()]))
        .start_time((now - COUNT_WINDOW).timestamp())
        .end_time(now.timestamp())
        .query_string(query)
        .send()
        .await
        .map_err(|e| CallError::from_sdk("StartQuery", &e))?;
    let id = started
        .query_id()
        .ok_or_else(|| LogsError::Query("returned no id".into()))?
        .to_string();
    for _ in 0..MAX_RESULT_POLLS {
        tokio::time::sleep(RESULT_POLL_INTERVAL).await;
        let out = client
            .get_query_results()
            .query_id(&id)
            .send()
            .await
            .map_err(|e| CallError::from_sdk("GetQueryResults", &e))?;
        match out.status() {
            Some(QueryStatus::Complete) => return Ok(parse_counts(out.results())),
            Some(QueryStatus::Scheduled | QueryStatus::Running) | None => {}
            Some(other) => return Err(LogsError::Query(format!("ended {}", other.as_str()))),
        }
    }
    Err(LogsError::Query(format!(
        "still running after {MAX_RESULT_POLLS} polls"
    )))
}

/// Lines and counts of one log group (`id` is the layout's).
pub async fn poll(
    client: &Client,
    id: &str,
    group: &str,
    filter: &str,
    now: DateTime<Utc>,
) -> Result<LogBatch, LogsError> {
    let lines = recent_lines(client, group, filter, now).await?;
    let counts = error_counts(client, group, filter, now).await?;
    Ok(LogBatch {
        group: id.to_string(),
        lines,
        counts,
    })
}

#[cfg(test)]
#[path = "logs_tests.rs"]
mod tests;
