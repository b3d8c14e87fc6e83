//! CloudWatch `DescribeAlarmHistory` over Smithy RPC v2 CBOR, as `warroom backfill` calls it:
//! the world's alarm state changes (`StateUpdate` items with the `HistoryData` JSON AWS writes:
//! old and new state, reason) of the request's region in `[StartDate, EndDate)`, filtered by
//! `AlarmName`, `AlarmTypes` and `HistoryItemType`, oldest or newest first (`ScanBy`),
//! `MaxRecords` pages with `NextToken`.

use ciborium::Value;

use super::cbor::{int, list, map, t, text, time, ts};
use super::route::{ApiError, Ctx};
use super::state::Served;

const DEFAULT_MAX_RECORDS: i64 = 100;
const TOKEN: &str = "wr-history-";

pub(crate) fn describe_alarm_history(
    served: &Served,
    req: &Value,
    ctx: &mut Ctx,
) -> Result<Value, ApiError> {
    let invalid = |m: &str| ApiError::client("InvalidParameterValue", m);
    let max = int(req, "MaxRecords").unwrap_or(DEFAULT_MAX_RECORDS);
    if !(1..=100).contains(&max) {
        return Err(invalid("MaxRecords must be between 1 and 100."));
    }
    let skip = match text(req, "NextToken") {
        None => 0,
        Some(tok) => tok
            .strip_prefix(TOKEN)
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| ApiError::client("InvalidNextToken", "The token is not valid."))?,
    };
    let now = ctx.now;
    let from = time(req, "StartDate").unwrap_or(now - chrono::TimeDelta::days(14));
    let to = time(req, "EndDate").unwrap_or(now).min(now);
    ctx.window = Some((from, to));
    let name = text(req, "AlarmName");
    ctx.resource = name.unwrap_or("every alarm").to_string();
    // The world's alarms are metric alarms; state updates are the only items it keeps.
    let types = list(req, "AlarmTypes");
    let metric = types.is_empty() || types.iter().any(|x| x.as_text() == Some("MetricAlarm"));
    let item_type = text(req, "HistoryItemType");
    let wanted = metric && item_type.is_none_or(|x| x == "StateUpdate");
    let mut items: Vec<Value> = if wanted {
        served
            .world()
            .alarm_history(&ctx.region, from, to)
            .into_iter()
            .filter(|c| name.is_none_or(|n| n == c.name))
            .map(|c| {
                let data = serde_json::json!({
                    "version": "1.0",
                    "oldState": {"stateValue": c.from.as_str()},
                    "newState": {"stateValue": c.to.as_str(), "stateReason": c.reason},
                });
                map(vec![
                    ("AlarmName", t(&c.name)),
                    ("AlarmType", t("MetricAlarm")),
                    ("Timestamp", ts(c.at)),
                    ("HistoryItemType", t("StateUpdate")),
                    (
                        "HistorySummary",
                        t(&format!(
                            "Alarm updated from {} to {}",
                            c.from.as_str(),
                            c.to.as_str()
                        )),
                    ),
                    ("HistoryData", t(&data.to_string())),
                ])
            })
            .collect()
    } else {
        Vec::new()
    };
    if text(req, "ScanBy") != Some("TimestampAscending") {
        items.reverse();
    }
    let end = (skip + max as usize).min(items.len());
    let page = items
        .get(skip..end)
        .map(<[Value]>::to_vec)
        .unwrap_or_default();
    let mut out = vec![("AlarmHistoryItems", Value::Array(page))];
    if end < items.len() {
        out.push(("NextToken", t(&format!("{TOKEN}{end}"))));
    }
    Ok(map(out))
}
