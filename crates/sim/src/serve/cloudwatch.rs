//! CloudWatch over Smithy RPC v2 CBOR: `GetMetricData` (MetricStat queries, up to 500 per call,
//! period-aligned buckets in `[StartTime, EndTime)`, `ScanBy`, `MaxDatapoints` pagination with
//! `NextToken`) and `DescribeAlarms` (names, prefix, types, state, `MaxRecords` pagination).
//!
//! Datapoints are what the in-process simulator's observation layer shows at the same virtual
//! time: a bucket becomes visible 60 to 120 s after it starts, the newest visible bucket is
//! provisional, zero ALB/WAF/GA counters are absent; during the scenario's CloudWatch outage
//! every call is throttled.

use chrono::{DateTime, TimeDelta, Utc};
use ciborium::Value;

use super::cbor::{self, get, int, list, map, t, text, time, ts};
use super::route::{ApiError, Ctx, Reply};
use super::state::{Served, metric_key};
use crate::World;
use crate::model::{AlarmInfo, AlarmKind};
use crate::observe::{provisional_value, visible_after};

pub const MAX_QUERIES: usize = 500;
pub const DEFAULT_MAX_DATAPOINTS: i64 = 100_800;
const DEFAULT_MAX_RECORDS: i64 = 50;

pub(crate) fn handle(
    served: &Served,
    op: &str,
    body: &[u8],
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    let req = cbor::decode(body)?;
    match op {
        "GetMetricData" => get_metric_data(served, &req, ctx).map(|v| cbor::ok(&v)),
        "DescribeAlarms" => describe_alarms(served, &req, ctx).map(|v| cbor::ok(&v)),
        "DescribeAlarmHistory" => {
            super::alarm_history::describe_alarm_history(served, &req, ctx).map(|v| cbor::ok(&v))
        }
        _ => Err(ApiError::client(
            "UnknownOperationException",
            format!("CloudWatch operation {op} is not served by the simulator"),
        )),
    }
}

/// One MetricStat query, parsed.
struct Query {
    id: String,
    label: Option<String>,
    namespace: String,
    metric: String,
    dims: Vec<(String, String)>,
    stat: String,
    period: i64,
    return_data: bool,
    expression: bool,
}

fn valid_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn parse_query(q: &Value) -> Result<Query, ApiError> {
    let invalid = |m: String| ApiError::client("ValidationError", m);
    let id = text(q, "Id").unwrap_or_default().to_string();
    if !valid_id(&id) {
        return Err(invalid(format!(
            "The value {id:?} for parameter MetricDataQueries.member.Id is invalid: it must start with a lowercase letter and contain only letters, digits and underscores."
        )));
    }
    let return_data = get(q, "ReturnData")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let label = text(q, "Label").map(ToString::to_string);
    if text(q, "Expression").is_some() {
        return Ok(Query {
            id,
            label,
            namespace: String::new(),
            metric: String::new(),
            dims: vec![],
            stat: String::new(),
            period: 60,
            return_data,
            expression: true,
        });
    }
    let stat = get(q, "MetricStat")
        .ok_or_else(|| invalid(format!("Query {id} has neither MetricStat nor Expression.")))?;
    let metric = get(stat, "Metric").ok_or_else(|| invalid(format!("Query {id}: no Metric.")))?;
    let period = int(stat, "Period").unwrap_or(60);
    if period < 1 || (period >= 60 && period % 60 != 0) || period > 86_400 {
        return Err(invalid(format!(
            "Query {id}: the period must be 1, 5, 10, 20, 30 or a multiple of 60 up to 86400."
        )));
    }
    let dims = list(metric, "Dimensions")
        .iter()
        .map(|d| {
            (
                text(d, "Name").unwrap_or_default().to_string(),
                text(d, "Value").unwrap_or_default().to_string(),
            )
        })
        .collect();
    Ok(Query {
        id,
        label,
        namespace: text(metric, "Namespace").unwrap_or_default().to_string(),
        metric: text(metric, "MetricName").unwrap_or_default().to_string(),
        dims,
        stat: text(stat, "Stat").unwrap_or_default().to_string(),
        period,
        return_data,
        expression: false,
    })
}

/// Whether the bucket starting at `b` is visible in `region` at `now`.
fn visible(world: &World, region: &str, b: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    b + TimeDelta::seconds(visible_after(world, region, b)) <= now
}

/// The datapoints of one query, oldest first.
fn points(
    served: &Served,
    world: &World,
    region: &str,
    q: &Query,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, f64)> {
    let p = TimeDelta::seconds(q.period);
    // The newest visible bucket of the period grid (provisional), searched back from now.
    let grid = |x: DateTime<Utc>| {
        let off = (x - start).num_seconds().div_euclid(q.period);
        start + TimeDelta::seconds(off * q.period)
    };
    let newest = (0..4)
        .map(|k| grid(now) - p * k)
        .find(|b| visible(world, region, *b, now));
    let key = served.series_key(&metric_key(
        region,
        &q.namespace,
        &q.metric,
        &q.dims,
        &q.stat,
        q.period.max(60),
    ));
    let mut out = Vec::new();
    let mut b = start;
    while b < end {
        if visible(world, region, b, now)
            && let Some(v) = world.metric(region, &q.namespace, &q.metric, &q.dims, &q.stat, b)
        {
            let v = if Some(b) == newest {
                provisional_value(world, &key, &q.stat, b, v)
            } else {
                v
            };
            out.push((b, v));
        }
        b += p;
    }
    out
}

/// `StartTime` rounded down to the minute, as CloudWatch does for recent data.
fn round_start(start: DateTime<Utc>) -> DateTime<Utc> {
    let s = start.timestamp();
    DateTime::from_timestamp(s - s.rem_euclid(60), 0).unwrap_or(start)
}

fn page_token(offset: usize) -> String {
    format!("wr-gmd-{offset}")
}

fn parse_token(token: Option<&str>, code: &str) -> Result<usize, ApiError> {
    match token {
        None => Ok(0),
        Some(tok) => tok
            .strip_prefix("wr-gmd-")
            .or_else(|| tok.strip_prefix("wr-alarms-"))
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| ApiError::client(code, format!("The token {tok:?} is not valid."))),
    }
}

fn get_metric_data(served: &Served, req: &Value, ctx: &mut Ctx) -> Result<Value, ApiError> {
    let invalid = |m: &str| ApiError::client("ValidationError", m);
    let queries = list(req, "MetricDataQueries");
    if queries.is_empty() {
        return Err(invalid("The parameter MetricDataQueries is required."));
    }
    if queries.len() > MAX_QUERIES {
        return Err(invalid(
            "The collection MetricDataQueries must not have a size greater than 500.",
        ));
    }
    let queries: Vec<Query> = queries.iter().map(parse_query).collect::<Result<_, _>>()?;
    let mut ids: Vec<&str> = queries.iter().map(|q| q.id.as_str()).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err(invalid(
            "The values for parameter Id in MetricDataQueries must be unique.",
        ));
    }
    let (Some(start), Some(end)) = (time(req, "StartTime"), time(req, "EndTime")) else {
        return Err(invalid(
            "The parameters StartTime and EndTime are required.",
        ));
    };
    if end <= start {
        return Err(invalid(
            "The parameter StartTime must be less than the parameter EndTime.",
        ));
    }
    let descending = text(req, "ScanBy") != Some("TimestampAscending");
    let max = int(req, "MaxDatapoints")
        .unwrap_or(DEFAULT_MAX_DATAPOINTS)
        .max(1) as usize;
    let skip = parse_token(text(req, "NextToken"), "InvalidNextToken")?;
    ctx.window = Some((start, end));
    ctx.resource = format!("{} queries", queries.len());
    let now = ctx.now;
    let world = served.world();
    if world.metrics_outage(now) {
        return Err(ApiError::client("Throttling", "Rate exceeded"));
    }
    let start = round_start(start);
    // Every datapoint of the call in answer order: query order, then time order per ScanBy.
    let mut all: Vec<(usize, DateTime<Utc>, f64)> = Vec::new();
    let mut counts = vec![0usize; queries.len()];
    for (i, q) in queries.iter().enumerate() {
        if !q.return_data || q.expression {
            continue;
        }
        let mut pts = points(served, &world, &ctx.region, q, start, end, now);
        if descending {
            pts.reverse();
        }
        counts[i] = pts.len();
        all.extend(pts.into_iter().map(|(t, v)| (i, t, v)));
    }
    drop(world);
    if skip > all.len() {
        return Err(ApiError::client(
            "InvalidNextToken",
            "The token is past the end.",
        ));
    }
    let page_end = (skip + max).min(all.len());
    let more = page_end < all.len();
    let results = page_results(&queries, &all, &counts, skip, page_end);
    let mut out = vec![
        ("MetricDataResults", Value::Array(results)),
        ("Messages", Value::Array(vec![])),
    ];
    if more {
        out.push(("NextToken", t(&page_token(page_end))));
    }
    Ok(map(out))
}

/// The `MetricDataResults` of the page `all[skip..page_end]`: a query is listed on the pages
/// that carry its points (or on the first page when it has none), PartialData while more of it
/// follows.
fn page_results(
    queries: &[Query],
    all: &[(usize, DateTime<Utc>, f64)],
    counts: &[usize],
    skip: usize,
    page_end: usize,
) -> Vec<Value> {
    let page = &all[skip..page_end];
    let mut before = vec![0usize; queries.len()];
    for (i, _, _) in &all[..skip] {
        before[*i] += 1;
    }
    let mut on_page = vec![0usize; queries.len()];
    for (i, _, _) in page {
        on_page[*i] += 1;
    }
    let mut results = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        if !q.return_data {
            continue;
        }
        let listed = on_page[i] > 0 || (counts[i] == 0 && skip == 0);
        if !listed {
            continue;
        }
        let mut fields = vec![("Id", t(&q.id))];
        fields.push(("Label", t(q.label.as_deref().unwrap_or(&q.metric))));
        let (stamps, values): (Vec<Value>, Vec<Value>) = page
            .iter()
            .filter(|(j, _, _)| *j == i)
            .map(|(_, at, v)| (ts(*at), Value::Float(*v)))
            .unzip();
        fields.push(("Timestamps", Value::Array(stamps)));
        fields.push(("Values", Value::Array(values)));
        let status = if q.expression {
            fields.push((
                "Messages",
                Value::Array(vec![map(vec![
                    ("Code", t("Unsupported")),
                    ("Value", t("Metric math is not evaluated by the simulator.")),
                ])]),
            ));
            "InternalError"
        } else if before[i] + on_page[i] < counts[i] {
            "PartialData"
        } else {
            "Complete"
        };
        fields.push(("StatusCode", t(status)));
        results.push(map(fields));
    }
    results
}

fn kind_wanted(req: &Value, kind: AlarmKind) -> bool {
    let types = list(req, "AlarmTypes");
    let name = match kind {
        AlarmKind::Metric => "MetricAlarm",
        AlarmKind::Composite => "CompositeAlarm",
        AlarmKind::Log => "LogAlarm",
    };
    if types.is_empty() {
        // AWS: without AlarmTypes only metric alarms are returned.
        return kind == AlarmKind::Metric;
    }
    types.iter().any(|t| t.as_text() == Some(name))
}

fn alarm_value(a: &AlarmInfo, region: &str) -> Value {
    let arn = format!("arn:aws:cloudwatch:{region}:489851543453:alarm:{}", a.name);
    let mut f = vec![
        ("AlarmName", t(&a.name)),
        ("AlarmArn", t(&arn)),
        ("StateValue", t(a.state.as_str())),
        ("StateUpdatedTimestamp", ts(a.updated)),
        ("StateTransitionedTimestamp", ts(a.updated)),
    ];
    if let Some(r) = &a.reason {
        f.push(("StateReason", t(r)));
    }
    map(f)
}

fn describe_alarms(served: &Served, req: &Value, ctx: &mut Ctx) -> Result<Value, ApiError> {
    let names: Vec<&str> = list(req, "AlarmNames")
        .iter()
        .filter_map(Value::as_text)
        .collect();
    let prefix = text(req, "AlarmNamePrefix");
    if !names.is_empty() && prefix.is_some() {
        return Err(ApiError::client(
            "InvalidParameterCombination",
            "AlarmNames and AlarmNamePrefix cannot be used together.",
        ));
    }
    let max = int(req, "MaxRecords").unwrap_or(DEFAULT_MAX_RECORDS);
    if !(1..=100).contains(&max) {
        return Err(ApiError::client(
            "InvalidParameterValue",
            "MaxRecords must be between 1 and 100.",
        ));
    }
    let skip = parse_token(text(req, "NextToken"), "InvalidNextToken")?;
    let state = text(req, "StateValue");
    ctx.resource = prefix.map_or_else(|| names.join(","), |p| format!("{p}*"));
    let mut alarms: Vec<AlarmInfo> = served
        .world()
        .alarms(&ctx.region, ctx.now)
        .into_iter()
        .filter(|a| names.is_empty() || names.contains(&a.name.as_str()))
        .filter(|a| prefix.is_none_or(|p| a.name.starts_with(p)))
        .filter(|a| state.is_none_or(|s| a.state.as_str() == s))
        .filter(|a| kind_wanted(req, a.kind))
        .collect();
    alarms.sort_by(|a, b| a.name.cmp(&b.name));
    let end = (skip + max as usize).min(alarms.len());
    let page = alarms.get(skip..end).unwrap_or_default();
    let of = |k: AlarmKind| {
        Value::Array(
            page.iter()
                .filter(|a| a.kind == k)
                .map(|a| alarm_value(a, &ctx.region))
                .collect(),
        )
    };
    let mut out = vec![
        ("MetricAlarms", of(AlarmKind::Metric)),
        ("CompositeAlarms", of(AlarmKind::Composite)),
        ("LogAlarms", of(AlarmKind::Log)),
    ];
    if end < alarms.len() {
        out.push(("NextToken", t(&format!("wr-alarms-{end}"))));
    }
    Ok(map(out))
}
