//! CloudWatch Logs over AWS JSON 1.1: `DescribeLogGroups` (the world's groups of the region, by
//! name prefix or pattern), `FilterLogEvents` (epoch-millisecond window, newest first
//! with `startFromHead=false`, `limit`, `nextToken`) and Logs Insights `StartQuery` /
//! `GetQueryResults`, which answers `stats count(*) by bin(1m)` (the only query shape warroom
//! sends) as complete at once, under the field names the query gives them.
//!
//! Bounded as AWS bounds it: the world's log groups keep [`RETENTION`] of events (older ones
//! are gone; an Insights query that ends before that is refused with AWS's
//! `MalformedQueryException`), a query names at most 50 log groups in a string of at most
//! 10,000 characters, times are not negative, and one answer holds at most 10,000 rows, so no
//! call scans more than the retention of minutes whatever window it asks for.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use super::json::{self, int_of, str_of};
use super::route::{ApiError, Ctx, Reply};
use super::state::{InsightsQuery, Served};
use crate::model::LogLine;

/// Lines a FilterLogEvents call may consider (the API's page cap).
const MAX_EVENTS: usize = 10_000;
/// How long the world's log groups keep events (`RetentionInDays` 7).
pub(crate) const RETENTION: TimeDelta = TimeDelta::days(7);
/// Log groups one Insights query may name.
pub(crate) const MAX_QUERY_GROUPS: usize = 50;
/// Characters of an Insights query string.
pub(crate) const MAX_QUERY_CHARS: usize = 10_000;
/// Rows of an Insights answer: the `limit` AWS allows, and the rows one GetQueryResults holds.
pub(crate) const MAX_QUERY_LIMIT: i64 = 100_000;
pub(crate) const MAX_RESULT_ROWS: usize = 10_000;
/// How far past the virtual now a query may reach (the world is defined there, AWS has nothing
/// yet; a client's clock a little ahead of the endpoint's keeps its last seconds).
const FUTURE_REACH: TimeDelta = TimeDelta::hours(1);

pub(crate) fn handle(
    served: &Served,
    op: &str,
    body: &[u8],
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    let req = json::decode(body)?;
    let out = match op {
        "FilterLogEvents" => filter(served, &req, ctx)?,
        "DescribeLogGroups" => describe_log_groups(served, &req, ctx)?,
        "StartQuery" => start_query(served, &req, ctx)?,
        "GetQueryResults" => results(served, &req, ctx)?,
        _ => {
            return Err(ApiError::client(
                "UnknownOperationException",
                format!("Logs operation {op} is not served by the simulator"),
            ));
        }
    };
    Ok(json::ok(&out))
}

fn invalid(m: &str) -> ApiError {
    ApiError::client("InvalidParameterException", m)
}

/// A member constraint broken, in AWS's words for request validation.
fn constraint(value: impl std::fmt::Display, field: &str, rule: &str) -> ApiError {
    invalid(&format!(
        "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must {rule}"
    ))
}

/// An epoch time of the request that must not be negative.
fn not_negative(req: &Value, field: &str) -> Result<Option<i64>, ApiError> {
    match int_of(req, field) {
        Some(v) if v < 0 => Err(constraint(
            v,
            field,
            "have value greater than or equal to 0",
        )),
        v => Ok(v),
    }
}

/// A log group name from a name or an ARN (`arn:aws:logs:r:acct:log-group:NAME[:*]`).
fn group_name(id: &str) -> &str {
    match id.split_once(":log-group:") {
        Some((_, rest)) => rest.strip_suffix(":*").unwrap_or(rest),
        None => id,
    }
}

fn known(served: &Served, ctx: &Ctx, group: &str) -> Result<(), ApiError> {
    let ok = served
        .world()
        .log_groups()
        .iter()
        .any(|(n, r)| *n == group && *r == ctx.region);
    if ok {
        Ok(())
    } else {
        Err(ApiError::client(
            "ResourceNotFoundException",
            "The specified log group does not exist.",
        ))
    }
}

/// `DescribeLogGroups`: the region's groups whose name starts with `logGroupNamePrefix` (or
/// contains `logGroupNamePattern`), sorted by name, `limit` (1 to 50) per page.
fn describe_log_groups(served: &Served, req: &Value, ctx: &mut Ctx) -> Result<Value, ApiError> {
    let prefix = str_of(req, "logGroupNamePrefix");
    let pattern = str_of(req, "logGroupNamePattern");
    if prefix.is_some() && pattern.is_some() {
        return Err(invalid(
            "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive.",
        ));
    }
    let limit = int_of(req, "limit").unwrap_or(50);
    if !(1..=50).contains(&limit) {
        return Err(invalid("limit must be between 1 and 50"));
    }
    let skip = match str_of(req, "nextToken") {
        None | Some("") => 0,
        Some(t) => t
            .strip_prefix("wr-groups-")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| invalid("invalid nextToken"))?,
    };
    ctx.resource = prefix.or(pattern).unwrap_or("every group").to_string();
    let created = served.world().abs(-30 * 86_400).timestamp_millis();
    let mut groups: Vec<&str> = served
        .world()
        .log_groups()
        .into_iter()
        .filter(|(n, r)| {
            *r == ctx.region
                && prefix.is_none_or(|p| n.starts_with(p))
                && pattern.is_none_or(|p| n.contains(p))
        })
        .map(|(n, _)| n)
        .collect();
    groups.sort_unstable();
    let end = (skip + limit as usize).min(groups.len());
    let page: Vec<Value> = groups
        .get(skip..end)
        .unwrap_or_default()
        .iter()
        .map(|n| {
            json!({
                "logGroupName": n,
                "arn": format!("arn:aws:logs:{}:489851543453:log-group:{n}:*", ctx.region),
                "creationTime": created,
                "storedBytes": 0,
            })
        })
        .collect();
    let mut out = json!({ "logGroups": page });
    if end < groups.len() {
        out["nextToken"] = json!(format!("wr-groups-{end}"));
    }
    Ok(out)
}

fn ms(v: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(v)
}

/// The `[start, end)` a FilterLogEvents reads: as asked (journaled), up to now, and within the
/// retention.
fn filter_window(req: &Value, ctx: &mut Ctx) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    let start = not_negative(req, "startTime")?
        .and_then(ms)
        .unwrap_or(ctx.now - TimeDelta::days(1));
    let end = not_negative(req, "endTime")?
        .and_then(ms)
        .unwrap_or(ctx.now);
    let end = end.min(ctx.now);
    ctx.window = Some((start, end));
    // Events older than the retention are gone.
    Ok((start.max(ctx.now - RETENTION), end))
}

fn filter(served: &Served, req: &Value, ctx: &mut Ctx) -> Result<Value, ApiError> {
    let group = match (
        str_of(req, "logGroupName"),
        str_of(req, "logGroupIdentifier"),
    ) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "logGroupName and logGroupIdentifier cannot both be given",
            ));
        }
        (Some(n), None) => n.to_string(),
        (None, Some(i)) => group_name(i).to_string(),
        (None, None) => return Err(invalid("a log group is required")),
    };
    ctx.resource.clone_from(&group);
    known(served, ctx, &group)?;
    let (start, end) = filter_window(req, ctx)?;
    let limit = int_of(req, "limit").unwrap_or(MAX_EVENTS as i64);
    if !(1..=MAX_EVENTS as i64).contains(&limit) {
        return Err(invalid("limit must be between 1 and 10000"));
    }
    let head = req
        .get("startFromHead")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let skip = match str_of(req, "nextToken") {
        None | Some("") => 0,
        Some(t) => t
            .strip_prefix("wr-")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| invalid("invalid nextToken"))?,
    };
    let limit = limit as usize;
    let world = served.world();
    let read = |n: usize| {
        if end > start {
            world.log_lines(&group, start, end, n).unwrap_or_default()
        } else {
            vec![]
        }
    };
    // Newest first reads only up to the end of this page (the world's "newest N" is exactly
    // what the in-process simulator shows); from the head needs every line, oldest first.
    let (lines, more): (Vec<LogLine>, bool) = if head {
        let mut all = read(MAX_EVENTS);
        all.reverse();
        let more = all.len() > skip + limit;
        (all, more)
    } else {
        let n = (skip + limit).min(MAX_EVENTS);
        (read(n), read(n + 1).len() > n)
    };
    drop(world);
    let a = skip.min(lines.len());
    let b = (skip + limit).min(lines.len());
    let next = more.then(|| format!("wr-{b}"));
    let events: Vec<Value> = lines[a..b]
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "logStreamName": l.stream,
                "timestamp": l.ts.timestamp_millis(),
                "message": l.message,
                "ingestionTime": l.ts.timestamp_millis() + 800,
                "eventId": format!("{:056}", l.ts.timestamp_micros() as u128 * 1000 + (a + i) as u128),
            })
        })
        .collect();
    let mut out = json!({ "events": events, "searchedLogStreams": [] });
    if let (Some(t), Some(o)) = (next, out.as_object_mut()) {
        o.insert("nextToken".into(), Value::from(t));
    }
    Ok(out)
}

/// The alias after `needle ... as ` in an Insights query, if any.
fn alias(query: &str, needle: &str) -> Option<String> {
    let rest = &query[query.find(needle)? + needle.len()..];
    let rest = rest.trim_start().strip_prefix("as ")?;
    let name: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '@')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The log groups of a StartQuery, within AWS's 50 per list.
fn query_groups(req: &Value) -> Result<Vec<String>, ApiError> {
    let mut groups = Vec::new();
    for key in ["logGroupIdentifiers", "logGroupNames"] {
        let Some(list) = req.get(key).and_then(Value::as_array) else {
            continue;
        };
        if list.len() > MAX_QUERY_GROUPS {
            return Err(invalid(&format!(
                "1 validation error detected: Value at '{key}' failed to satisfy constraint: Member must have length less than or equal to {MAX_QUERY_GROUPS}"
            )));
        }
        groups.extend(
            list.iter()
                .filter_map(Value::as_str)
                .map(|s| group_name(s).to_string()),
        );
    }
    if let Some(n) = str_of(req, "logGroupName") {
        groups.push(n.to_string());
    }
    if groups.is_empty() {
        return Err(invalid("at least one log group is required"));
    }
    Ok(groups)
}

/// A StartQuery checked as AWS checks it; its window cut to what the log groups keep.
fn parse_query(served: &Served, req: &Value, ctx: &mut Ctx) -> Result<InsightsQuery, ApiError> {
    let mut groups = query_groups(req)?;
    let q = str_of(req, "queryString").unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(invalid(&format!(
            "1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must have length less than or equal to {MAX_QUERY_CHARS}"
        )));
    }
    let (start, end) = (
        not_negative(req, "startTime")?,
        not_negative(req, "endTime")?,
    );
    let limit = int_of(req, "limit").unwrap_or(MAX_RESULT_ROWS as i64);
    if !(1..=MAX_QUERY_LIMIT).contains(&limit) {
        return Err(constraint(
            limit,
            "limit",
            "have value less than or equal to 100000 and greater than or equal to 1",
        ));
    }
    ctx.resource = groups.join(",");
    for g in &groups {
        known(served, ctx, g)?;
    }
    let (Some(start), Some(end)) = (start, end) else {
        return Err(invalid("startTime and endTime are required"));
    };
    if end < start {
        return Err(invalid("endTime must not be before startTime"));
    }
    ctx.window = DateTime::from_timestamp(start, 0).zip(DateTime::from_timestamp(end, 0));
    let oldest = (ctx.now - RETENTION).timestamp();
    if end < oldest {
        return Err(ApiError::client(
            "MalformedQueryException",
            "Query's end date and time is either before the log groups creation time or exceeds the log groups log retention settings",
        ));
    }
    if !q.contains("count(*)") || !q.contains("bin(") {
        return Err(ApiError::client(
            "MalformedQueryException",
            "the simulator answers `stats count(*) by bin(1m)` queries only",
        ));
    }
    groups.sort();
    groups.dedup();
    Ok(InsightsQuery {
        groups,
        start: start.max(oldest),
        end: end.min((ctx.now + FUTURE_REACH).timestamp()),
        limit: (limit as usize).min(MAX_RESULT_ROWS),
        count_field: alias(q, "count(*)").unwrap_or_else(|| "count(*)".into()),
        bin_field: alias(q, "bin(1m)").unwrap_or_else(|| "bin(1m)".into()),
    })
}

fn start_query(served: &Served, req: &Value, ctx: &mut Ctx) -> Result<Value, ApiError> {
    let query = parse_query(served, req, ctx)?;
    let requested = int_of(req, "startTime").unwrap_or(query.start);
    let mut queries = served.queries();
    // Ids start with a zero-padded sequence number: the smallest key is the oldest query.
    let seq = queries
        .keys()
        .max()
        .and_then(|k| u64::from_str_radix(k.get(..8)?, 16).ok())
        .unwrap_or(0)
        + 1;
    if queries.len() >= super::state::QUERIES_KEPT
        && let Some(oldest) = queries.keys().min().cloned()
    {
        queries.remove(&oldest);
    }
    let id = format!(
        "{seq:08x}-0000-4000-8000-{:012x}",
        requested.rem_euclid(1 << 48)
    );
    queries.insert(id.clone(), query);
    Ok(json!({ "queryId": id }))
}

/// Minutes counted under one hold of the world's lock: other clients' calls get in between.
const MINUTES_PER_HOLD: usize = 60;

/// Matching lines per minute in `[start, end]` (seconds, both inclusive), at most `q.limit`
/// rows; empty bins left out.
fn counts(served: &Served, q: &InsightsQuery) -> Vec<(DateTime<Utc>, u64)> {
    let mut world = served.world();
    let mut out = vec![];
    let mut m = q.start - q.start.rem_euclid(60);
    let mut held = 0;
    while m <= q.end && out.len() < q.limit {
        held += 1;
        if held > MINUTES_PER_HOLD {
            drop(world);
            std::thread::yield_now();
            world = served.world();
            held = 1;
        }
        let (Some(bin), Some(from), Some(to)) = (
            DateTime::from_timestamp(m, 0),
            DateTime::from_timestamp(m.max(q.start), 0),
            DateTime::from_timestamp((m + 60).min(q.end + 1), 0),
        ) else {
            break;
        };
        let full = m >= q.start && m + 60 <= q.end + 1;
        let n: u64 = q
            .groups
            .iter()
            .map(|g| {
                if full {
                    world.log_errors(g, bin).unwrap_or(0)
                } else {
                    world
                        .log_lines(g, from, to, MAX_EVENTS)
                        .map_or(0, |l| l.len() as u64)
                }
            })
            .sum();
        if n > 0 {
            out.push((bin, n));
        }
        m += 60;
    }
    out
}

fn results(served: &Served, req: &Value, ctx: &mut Ctx) -> Result<Value, ApiError> {
    let id = str_of(req, "queryId").unwrap_or_default();
    ctx.resource = id.to_string();
    let q =
        served.queries().get(id).cloned().ok_or_else(|| {
            ApiError::client("ResourceNotFoundException", "Query does not exist.")
        })?;
    let rows: Vec<Value> = counts(served, &q)
        .into_iter()
        .map(|(bin, n)| {
            json!([
                { "field": q.bin_field, "value": bin.format("%Y-%m-%d %H:%M:%S%.3f").to_string() },
                { "field": q.count_field, "value": n.to_string() },
            ])
        })
        .collect();
    let matched: u64 = rows.len() as u64;
    Ok(json!({
        "status": "Complete",
        "results": rows,
        "statistics": { "recordsMatched": matched as f64, "recordsScanned": matched as f64, "bytesScanned": 0.0 },
    }))
}
