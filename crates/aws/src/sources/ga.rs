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
pub(crate) async fn endpoint_groups(
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
pub(crate) fn group(g: &EndpointGroup) -> GaEndpointGroup {
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
pub(crate) fn health(h: Option<&HealthState>) -> GaHealth {
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
#[path = "ga_tests.rs"]
mod tests;
