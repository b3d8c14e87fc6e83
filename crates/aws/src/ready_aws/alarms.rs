//! CloudWatch metric alarms of a region (`DescribeAlarms`, metric alarms, paginated and capped),
//! reduced to the metric each watches, its state and how many actions it has.

use aws_sdk_cloudwatch::types::AlarmType;

use super::{MAX_PAGES, Part};
use crate::ready::facts::AlarmFact;
use crate::sources::CallError;

pub(crate) async fn alarms(
    client: &aws_sdk_cloudwatch::Client,
    region: &str,
) -> Result<Part, CallError> {
    let mut part = Part::default();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let out = client
            .describe_alarms()
            .alarm_types(AlarmType::MetricAlarm)
            .max_records(100)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| CallError::from_sdk("DescribeAlarms", &e))?;
        part.facts
            .alarms
            .extend(out.metric_alarms().iter().map(|a| {
                let dimensions = crate::sources::lookup::sorted_dimensions(a.dimensions());
                AlarmFact {
                    name: a.alarm_name().unwrap_or_default().to_string(),
                    region: region.to_string(),
                    namespace: a.namespace().unwrap_or_default().to_string(),
                    metric: a.metric_name().unwrap_or_default().to_string(),
                    dimensions,
                    state: a
                        .state_value()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    actions: if a.actions_enabled().unwrap_or(true) {
                        a.alarm_actions().len()
                    } else {
                        0
                    },
                }
            }));
        token = out.next_token().map(ToString::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok(part)
}
