//! Global Accelerator: the accelerator found by name once (`ListAccelerators`), then per tick
//! `ListListeners` and `ListEndpointGroups` (both paginated) as one `GaSnapshot`: per endpoint
//! group its region and traffic dial, per endpoint its weight and health. The client must be
//! pinned to us-west-2 (`ClientSet::ga`). `HealthReason` is ignored: AWS documents it as null.

use aws_sdk_globalaccelerator::Client;
use aws_sdk_globalaccelerator::types::{EndpointGroup, HealthState};

use super::classify::CallError;
use crate::model::{GaEndpoint, GaEndpointGroup, GaHealth, GaSnapshot, SourceState};

/// Page size of the List calls (the API allows 1 to 100, default 10).
const PAGE: i32 = 100;

#[derive(Debug, thiserror::Error)]
pub enum GaError {
    #[error(transparent)]
    Call(#[from] CallError),
    #[error("accelerator {name:?} not found")]
    NotFound { name: String },
}

impl GaError {
    pub fn state(&self) -> SourceState {
        match self {
            GaError::Call(c) => c.state,
            GaError::NotFound { .. } => SourceState::Error,
        }
    }
}

/// The ARN of the accelerator named `name`.
pub async fn find_accelerator(client: &Client, name: &str) -> Result<String, GaError> {
    let mut pages = client
        .list_accelerators()
        .max_results(PAGE)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CallError::from_sdk("ListAccelerators", &e))?;
        if let Some(arn) = page
            .accelerators()
            .iter()
            .find(|a| a.name() == Some(name))
            .and_then(|a| a.accelerator_arn())
        {
            return Ok(arn.to_string());
        }
    }
    Err(GaError::NotFound { name: name.into() })
}

/// The listener ARNs of the accelerator `arn` (they rarely change: callers cache them).
pub async fn listeners(client: &Client, arn: &str) -> Result<Vec<String>, GaError> {
    let mut out = vec![];
    let mut pages = client
        .list_listeners()
        .accelerator_arn(arn)
        .max_results(PAGE)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CallError::from_sdk("ListListeners", &e))?;
        out.extend(
            page.listeners()
                .iter()
                .filter_map(|l| l.listener_arn().map(ToString::to_string)),
        );
    }
    Ok(out)
}

/// Every endpoint group of `listeners`, as the snapshot of accelerator `id` (the layout's).
pub async fn endpoint_groups(
    client: &Client,
    id: &str,
    listeners: &[String],
) -> Result<GaSnapshot, GaError> {
    let mut groups = vec![];
    for listener in listeners {
        let mut pages = client
            .list_endpoint_groups()
            .listener_arn(listener)
            .max_results(PAGE)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| CallError::from_sdk("ListEndpointGroups", &e))?;
            groups.extend(page.endpoint_groups().iter().map(group));
        }
    }
    Ok(GaSnapshot {
        accelerator: id.to_string(),
        groups,
    })
}

/// Listeners then endpoint groups of the accelerator `arn`, uncached.
pub async fn endpoints(client: &Client, id: &str, arn: &str) -> Result<GaSnapshot, GaError> {
    let l = listeners(client, arn).await?;
    endpoint_groups(client, id, &l).await
}

/// One endpoint group; a missing dial is AWS's default, 100.
pub fn group(g: &EndpointGroup) -> GaEndpointGroup {
    GaEndpointGroup {
        region: g.endpoint_group_region().unwrap_or_default().to_string(),
        dial: g.traffic_dial_percentage().map_or(100.0, f64::from),
        endpoints: g
            .endpoint_descriptions()
            .iter()
            .map(|e| GaEndpoint {
                id: e.endpoint_id().unwrap_or_default().to_string(),
                weight: e.weight().and_then(|w| u32::try_from(w).ok()).unwrap_or(0),
                health: health(e.health_state()),
            })
            .collect(),
    }
}

/// A missing or unknown health state is reported as INITIAL (not yet judged), never HEALTHY.
pub fn health(h: Option<&HealthState>) -> GaHealth {
    match h {
        Some(HealthState::Healthy) => GaHealth::Healthy,
        Some(HealthState::Unhealthy) => GaHealth::Unhealthy,
        Some(HealthState::Initial) => GaHealth::Initial,
        other => {
            tracing::warn!(state = ?other, "unknown Global Accelerator health state");
            GaHealth::Initial
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_globalaccelerator::operation::list_accelerators::ListAcceleratorsOutput;
    use aws_sdk_globalaccelerator::operation::list_endpoint_groups::ListEndpointGroupsOutput;
    use aws_sdk_globalaccelerator::operation::list_listeners::ListListenersOutput;
    use aws_sdk_globalaccelerator::types::{Accelerator, EndpointDescription, Listener};
    use aws_smithy_mocks::{RuleMode, mock, mock_client};

    const ACC: &str = "arn:aws:globalaccelerator::1:accelerator/5f2d";
    const LIS: &str = "arn:aws:globalaccelerator::1:accelerator/5f2d/listener/abcdef12";

    fn acc(name: &str, arn: &str) -> Accelerator {
        Accelerator::builder()
            .name(name)
            .accelerator_arn(arn)
            .build()
    }

    fn eg(region: &str, dial: f32, health: HealthState) -> EndpointGroup {
        EndpointGroup::builder()
            .endpoint_group_region(region)
            .traffic_dial_percentage(dial)
            .endpoint_descriptions(
                EndpointDescription::builder()
                    .endpoint_id(format!("arn:alb/{region}"))
                    .weight(128)
                    .health_state(health)
                    .health_reason("ignored")
                    .build(),
            )
            .build()
    }

    #[tokio::test]
    async fn finds_accelerator_on_second_page_and_lists_paginated_groups() {
        let a1 = mock!(Client::list_accelerators)
            .match_requests(|r| r.next_token().is_none())
            .then_output(|| {
                ListAcceleratorsOutput::builder()
                    .accelerators(acc("other", "arn:x"))
                    .next_token("t2")
                    .build()
            });
        let a2 = mock!(Client::list_accelerators)
            .match_requests(|r| r.next_token() == Some("t2"))
            .then_output(|| {
                ListAcceleratorsOutput::builder()
                    .accelerators(acc("BTS-AGA", ACC))
                    .build()
            });
        let l = mock!(Client::list_listeners)
            .match_requests(|r| r.accelerator_arn() == Some(ACC))
            .then_output(|| {
                ListListenersOutput::builder()
                    .listeners(Listener::builder().listener_arn(LIS).build())
                    .build()
            });
        let g1 = mock!(Client::list_endpoint_groups)
            .match_requests(|r| r.listener_arn() == Some(LIS) && r.next_token().is_none())
            .then_output(|| {
                ListEndpointGroupsOutput::builder()
                    .endpoint_groups(eg("ap-northeast-2", 100.0, HealthState::Unhealthy))
                    .next_token("g2")
                    .build()
            });
        let g2 = mock!(Client::list_endpoint_groups)
            .match_requests(|r| r.next_token() == Some("g2"))
            .then_output(|| {
                ListEndpointGroupsOutput::builder()
                    .endpoint_groups(eg("us-east-1", 25.0, HealthState::Healthy))
                    .build()
            });
        let client = mock_client!(
            aws_sdk_globalaccelerator,
            RuleMode::Sequential,
            [&a1, &a2, &l, &g1, &g2]
        );
        let arn = find_accelerator(&client, "BTS-AGA").await.expect("found");
        assert_eq!(arn, ACC);
        let snap = endpoints(&client, "ga", &arn).await.expect("snapshot");
        assert_eq!(snap.accelerator, "ga");
        assert_eq!(snap.groups.len(), 2);
        assert_eq!(snap.groups[0].region, "ap-northeast-2");
        assert_eq!(snap.groups[0].endpoints[0].health, GaHealth::Unhealthy);
        assert_eq!(snap.groups[0].endpoints[0].weight, 128);
        assert!((snap.groups[1].dial - 25.0).abs() < f64::EPSILON);
        assert_eq!(snap.groups[1].endpoints[0].health, GaHealth::Healthy);
    }

    #[tokio::test]
    async fn unknown_accelerator_is_not_found() {
        let a = mock!(Client::list_accelerators).then_output(|| {
            ListAcceleratorsOutput::builder()
                .accelerators(acc("x", "arn:x"))
                .build()
        });
        let client = mock_client!(aws_sdk_globalaccelerator, [&a]);
        let err = find_accelerator(&client, "BTS-AGA")
            .await
            .expect_err("missing");
        assert!(matches!(err, GaError::NotFound { .. }));
    }

    #[test]
    fn unknown_or_missing_health_is_initial() {
        assert_eq!(health(None), GaHealth::Initial);
        assert_eq!(
            health(Some(&HealthState::from("DEGRADED"))),
            GaHealth::Initial
        );
    }
}
