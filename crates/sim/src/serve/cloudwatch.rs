//! CloudWatch over Smithy RPC v2 CBOR: `GetMetricData` (MetricStat queries, up to 500 per call,
//! period-aligned buckets in `[StartTime, EndTime)`, `ScanBy`, `MaxDatapoints` pagination with
//! `NextToken`) and `DescribeAlarms` (names, prefix, types, state, `MaxRecords` pagination).
//!
//! Datapoints are what the in-process simulator's observation layer shows at the same virtual
//! time: a bucket becomes visible 60 to 120 s after it starts, the newest visible bucket is
//! provisional, zero ALB/WAF/GA counters are absent; during the scenario's CloudWatch outage
//! every call is throttled.
//!
//! Bounded as AWS bounds it, whatever window a call asks for: the start is rounded as CloudWatch
//! rounds it, a period that does not fit the start's age returns nothing, buckets older than the
//! period's retention or newer than now are not evaluated, and one call scans and returns at most
//! 100,800 datapoints (the rest on later pages, `NextToken`).

use chrono::{DateTime, TimeDelta, Utc};
use ciborium::Value;

use super::cbor::{self, get, int, list, map, t, text, time, ts};
use super::route::{ApiError, Ctx, Reply};
use super::state::{Served, metric_key};
use crate::World;
use crate::model::{AlarmInfo, AlarmKind};
use crate::observe::{VISIBLE_AFTER_AT_MOST, provisional_value, visible_after};
use warroom_core::metric_retention::{period_multiple, retention, start_rounding};

pub const MAX_QUERIES: usize = 500;
pub const DEFAULT_MAX_DATAPOINTS: i64 = 100_800;
/// Buckets one call evaluates at most (AWS counts a call's estimated datapoints, time range
/// divided by period, against it).
pub const MAX_DATAPOINTS_PER_CALL: i64 = warroom_core::metric_retention::MAX_DATAPOINTS_PER_CALL;
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
    /// The expression's text (empty for a MetricStat query).
    expr: String,
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
    if let Some(expr) = text(q, "Expression") {
        return Ok(Query {
            expr: expr.to_string(),
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
        expr: String::new(),
    })
}

/// Whether the bucket starting at `b` is visible in `region` at `now` (old buckets are, without
/// drawing their delay).
fn visible(world: &World, region: &str, b: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    b + TimeDelta::seconds(VISIBLE_AFTER_AT_MOST) <= now
        || b + TimeDelta::seconds(visible_after(world, region, b)) <= now
}

/// The buckets of one query CloudWatch still holds within the call's window: indexes `[lo, hi)`
/// on the grid `start + j * period`. Empty for a query that returns no data, for a period that
/// does not fit the age of the start (AWS returns nothing then), and past `now`; buckets older
/// than the period's retention are left out. So a query never covers more than 21,600 buckets
/// (15 days of minutes), whatever window it asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    lo: i64,
    hi: i64,
}

impl Span {
    fn len(self) -> i64 {
        self.hi - self.lo
    }
}

fn span(q: &Query, start: DateTime<Utc>, end: DateTime<Utc>, now: DateTime<Utc>) -> Span {
    let none = Span { lo: 0, hi: 0 };
    let p = q.period;
    if !q.return_data || q.expression || p % i64::from(period_multiple(now - start)) != 0 {
        return none;
    }
    let oldest = now - retention(p as u32);
    let lo = if start >= oldest {
        0
    } else {
        (oldest - start).num_seconds().div_ceil_pos(p)
    };
    let to_end = (end - start).num_seconds().div_ceil_pos(p);
    let to_now = (now - start).num_seconds().div_euclid(p) + 1;
    let hi = to_end.min(to_now).max(0);
    Span { lo: lo.min(hi), hi }
}

/// Ceiling division of a non-negative count by a positive step.
trait DivCeilPos {
    fn div_ceil_pos(self, step: i64) -> i64;
}

impl DivCeilPos for i64 {
    fn div_ceil_pos(self, step: i64) -> i64 {
        self.max(0).div_euclid(step) + i64::from(self.max(0).rem_euclid(step) != 0)
    }
}

/// `StartTime` rounded down as CloudWatch does: to the minute for data less than 15 days old,
/// to 5 minutes up to 63 days, to the hour beyond.
fn round_start(start: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    let unit = start_rounding(now - start);
    let s = start.timestamp();
    DateTime::from_timestamp(s - s.rem_euclid(unit), 0).unwrap_or(start)
}

/// Where a page starts: the query, and how many of its buckets earlier pages scanned.
type Cursor = (usize, i64);

fn gmd_token((q, k): Cursor) -> String {
    format!("wr-gmd-{q}-{k}")
}

fn parse_gmd_token(token: Option<&str>, spans: &[Span]) -> Result<Cursor, ApiError> {
    let Some(tok) = token else {
        return Ok((0, 0));
    };
    let invalid = || {
        ApiError::client(
            "InvalidNextToken",
            format!("The token {tok:?} is not valid."),
        )
    };
    let (q, k) = tok
        .strip_prefix("wr-gmd-")
        .and_then(|r| r.split_once('-'))
        .ok_or_else(invalid)?;
    let (q, k): (usize, i64) = (
        q.parse().map_err(|_| invalid())?,
        k.parse().map_err(|_| invalid())?,
    );
    let fits = match spans.get(q) {
        Some(s) => (0..=s.len()).contains(&k),
        None => q == spans.len() && k == 0,
    };
    if fits { Ok((q, k)) } else { Err(invalid()) }
}

/// Buckets evaluated under one hold of the world's lock: other clients' calls get in between.
const BUCKETS_PER_HOLD: i64 = 1_440;

/// What one page of a call covers.
struct Scan<'a> {
    served: &'a Served,
    region: &'a str,
    /// For a `SERVICE_QUOTA(m)` query, the index of `m`: its points are the quota at `m`'s.
    quota_of: &'a [Option<usize>],
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    descending: bool,
}

impl Scan<'_> {
    /// The newest visible bucket of `q`'s grid (provisional), searched back from now.
    fn newest(&self, world: &World, q: &Query) -> Option<DateTime<Utc>> {
        let p = TimeDelta::seconds(q.period);
        let off = (self.now - self.start).num_seconds().div_euclid(q.period);
        let grid_now = self.start + TimeDelta::seconds(off * q.period);
        (0..4)
            .map(|k| grid_now - p * k)
            .find(|b| visible(world, self.region, *b, self.now))
    }

    /// Scans buckets `k..` of `q` (scan order) until the span ends or `budget` buckets or
    /// `room` points are used: the points found and the buckets scanned.
    fn query(
        &self,
        q: &Query,
        span: Span,
        k: i64,
        budget: i64,
        room: usize,
    ) -> (Vec<(DateTime<Utc>, f64)>, i64) {
        let mut world = self.served.world();
        let newest = self.newest(&world, q);
        let key = self.served.series_key(&metric_key(
            self.region,
            &q.namespace,
            &q.metric,
            &q.dims,
            &q.stat,
            q.period.max(60),
        ));
        let mut out = Vec::new();
        let mut k = k;
        let mut scanned = 0;
        while k < span.len() && scanned < budget && out.len() < room {
            let index = if self.descending {
                span.hi - 1 - k
            } else {
                span.lo + k
            };
            let b = self.start + TimeDelta::seconds(index * q.period);
            k += 1;
            scanned += 1;
            if scanned % BUCKETS_PER_HOLD == 0 {
                drop(world);
                std::thread::yield_now();
                world = self.served.world();
            }
            if !visible(&world, self.region, b, self.now) {
                continue;
            }
            let Some(value) =
                world.metric(self.region, &q.namespace, &q.metric, &q.dims, &q.stat, b)
            else {
                continue;
            };
            let value = if Some(b) == newest {
                provisional_value(&world, &key, &q.stat, b, value)
            } else {
                value
            };
            out.push((b, value));
        }
        (out, scanned)
    }

    /// One page from `cursor`: at most `max` points and [`MAX_DATAPOINTS_PER_CALL`] buckets
    /// scanned; a query is listed on each page its scan reaches, `PartialData` until the page
    /// where it ends. Returns the results and where the next page starts.
    fn page(
        &self,
        queries: &[Query],
        spans: &[Span],
        cursor: Cursor,
        max: usize,
    ) -> (Vec<Value>, Option<Cursor>) {
        let (mut qi, mut k) = cursor;
        let mut budget = MAX_DATAPOINTS_PER_CALL;
        let mut points = 0usize;
        let mut results = Vec::new();
        while let Some(q) = queries.get(qi) {
            if !q.return_data {
                qi += 1;
                continue;
            }
            if budget == 0 || points >= max {
                break;
            }
            let (found, scanned) = match self.quota_of[qi] {
                Some(m) => {
                    let (usage, scanned) =
                        self.query(&queries[m], spans[qi], k, budget, max - points);
                    let world = self.served.world();
                    let quota = super::quota_math::quota_points(&world, self.region, usage);
                    (quota, scanned)
                }
                None => self.query(q, spans[qi], k, budget, max - points),
            };
            budget -= scanned;
            points += found.len();
            k += scanned;
            let done = k >= spans[qi].len();
            results.push(result_value(q, &found, done));
            if !done {
                break;
            }
            qi += 1;
            k = 0;
        }
        (results, (qi < queries.len()).then_some((qi, k)))
    }
}

/// One `MetricDataResult`.
fn result_value(q: &Query, found: &[(DateTime<Utc>, f64)], done: bool) -> Value {
    let mut fields = vec![("Id", t(&q.id))];
    fields.push(("Label", t(q.label.as_deref().unwrap_or(&q.metric))));
    let (stamps, values): (Vec<Value>, Vec<Value>) = found
        .iter()
        .map(|(at, v)| (ts(*at), Value::Float(*v)))
        .unzip();
    fields.push(("Timestamps", Value::Array(stamps)));
    fields.push(("Values", Value::Array(values)));
    let status = if q.expression && super::quota_math::service_quota_of(&q.expr).is_none() {
        fields.push((
            "Messages",
            Value::Array(vec![map(vec![
                ("Code", t("Unsupported")),
                ("Value", t("Metric math is not evaluated by the simulator.")),
            ])]),
        ));
        "InternalError"
    } else if done {
        "Complete"
    } else {
        "PartialData"
    };
    fields.push(("StatusCode", t(status)));
    map(fields)
}

fn parse_token(token: Option<&str>, code: &str) -> Result<usize, ApiError> {
    match token {
        None => Ok(0),
        Some(tok) => tok
            .strip_prefix("wr-alarms-")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| ApiError::client(code, format!("The token {tok:?} is not valid."))),
    }
}

/// The queries of a call, validated as CloudWatch does.
fn parse_queries(req: &Value) -> Result<Vec<Query>, ApiError> {
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
    Ok(queries)
}

/// GetMetricData: the work of a call is bounded by AWS's own limits whatever window it asks
/// for (see [`span`]): at most [`MAX_DATAPOINTS_PER_CALL`] buckets are evaluated and returned
/// per page, the rest follows with `NextToken`.
fn get_metric_data(served: &Served, req: &Value, ctx: &mut Ctx) -> Result<Value, ApiError> {
    let invalid = |m: &str| ApiError::client("ValidationError", m);
    let queries = parse_queries(req)?;
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
        .clamp(1, DEFAULT_MAX_DATAPOINTS) as usize;
    ctx.window = Some((start, end));
    ctx.resource = format!("{} queries", queries.len());
    let now = ctx.now;
    let start = round_start(start, now);
    let mut spans: Vec<Span> = queries.iter().map(|q| span(q, start, end, now)).collect();
    // `SERVICE_QUOTA(m)` has the buckets of `m`.
    let quota_of: Vec<Option<usize>> = queries
        .iter()
        .map(|q| {
            let id = super::quota_math::service_quota_of(&q.expr)?;
            queries.iter().position(|x| x.id == id && !x.expression)
        })
        .collect();
    for (i, m) in quota_of.iter().enumerate() {
        if let Some(m) = m {
            spans[i] = spans[*m];
        }
    }
    let cursor = parse_gmd_token(text(req, "NextToken"), &spans)?;
    if served.world().metrics_outage(now) {
        return Err(ApiError::client("Throttling", "Rate exceeded"));
    }
    let scan = Scan {
        served,
        region: &ctx.region,
        quota_of: &quota_of,
        start,
        now,
        descending,
    };
    let (results, next) = scan.page(&queries, &spans, cursor, max);
    let mut out = vec![
        ("MetricDataResults", Value::Array(results)),
        ("Messages", Value::Array(vec![])),
    ];
    if let Some(c) = next {
        out.push(("NextToken", t(&gmd_token(c))));
    }
    Ok(map(out))
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

fn alarm_value(a: &AlarmInfo, region: &str, world: &World) -> Value {
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
    if let Some(m) = world.alarm_meta(&a.name) {
        f.extend(super::quota_math::alarm_metric(&m));
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
    let world = served.world();
    let mut alarms: Vec<AlarmInfo> = world
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
                .map(|a| alarm_value(a, &ctx.region, &world))
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
