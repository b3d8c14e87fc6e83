//! What `warroom ready` does not check: the services a layout watches that no readiness check
//! covers yet (Lambda, DynamoDB, API Gateway, SQS), named with the resources the layout's
//! series point at and what to check by hand, so a report with no red is never read as "all
//! checked".

use std::collections::BTreeSet;

use crate::config::Layout;
use crate::config::layout::SeriesSource;

/// Per namespace: the service's name, the dimension naming its resources, what to check.
const UNCOVERED: &[(&str, &str, &str, &str)] = &[
    (
        "AWS/Lambda",
        "Lambda",
        "FunctionName",
        "reserved and provisioned concurrency and the account's concurrency quota against the peak; throttles alarmed",
    ),
    (
        "AWS/DynamoDB",
        "DynamoDB",
        "TableName",
        "capacity mode, and provisioned or auto-scaled capacity (or on-demand limits) against the peak",
    ),
    (
        "AWS/ApiGateway",
        "API Gateway",
        "ApiName",
        "account, stage and usage-plan throttling against the expected requests",
    ),
    (
        "AWS/SQS",
        "SQS",
        "QueueName",
        "a dead-letter queue, the visibility timeout against the consumer's duration, the age of the oldest message alarmed",
    ),
];

/// One line per service the layout watches that readiness does not check.
pub(crate) fn unchecked(layout: &Layout) -> Vec<String> {
    UNCOVERED
        .iter()
        .filter_map(|(namespace, service, key, what)| {
            let mut names = BTreeSet::new();
            let mut seen = false;
            for s in &layout.series {
                if let SeriesSource::Metric(q) = &s.source
                    && q.namespace == *namespace
                {
                    seen = true;
                    names.extend(
                        q.dimensions
                            .iter()
                            .filter(|(k, _)| k == key)
                            .map(|(_, v)| v.clone()),
                    );
                }
            }
            seen.then(|| {
                let resources = if names.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", names.into_iter().collect::<Vec<_>>().join(", "))
                };
                format!(
                    "{service}{resources}: warroom ready has no {service} checks yet; check by hand: {what}"
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_serverless_layout_is_told_what_ready_does_not_check() {
        let layout = crate::config::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../layouts/serverless-sale.toml"
        )))
        .expect("the serverless layout");
        let lines = unchecked(&layout);
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(
            lines[0].starts_with(
                "Lambda (flash-checkout, flash-order-worker): warroom ready has no Lambda checks yet"
            ),
            "{lines:#?}"
        );
        assert!(
            lines[1].starts_with("DynamoDB (flash-orders)"),
            "{lines:#?}"
        );
        // The reference layout watches none of these: nothing to say.
        let reference =
            crate::config::load_texts(&crate::builtin::layout(), Some(&crate::builtin::runbook()))
                .expect("the reference layout");
        assert!(unchecked(&reference).is_empty());
    }
}
