//! `warroom summary --send`: deliver one summary to every sink of the layout, four attempts each
//! with back-off (honouring Retry-After), reporting each attempt on stderr. Directory sinks and
//! URL files are relative to the current directory. Exit 1 if any sink was not reached.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;

use super::Failure;
use crate::clock::SharedClock;
use crate::config::Layout;
use crate::delivery::{Delivery, Policy, sink};
use crate::model::{DeliveryState, EventBody, Summary};

pub fn send(layout: &Layout, summary: &Summary) -> Result<(), Failure> {
    if layout.summary.sinks.is_empty() {
        return Err(Failure::input(
            "the layout has no [[summary.sink]]: nothing to send to",
        ));
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::runtime(format!("cannot start the runtime: {e}")))?;
    let base = std::env::current_dir()
        .map_err(|e| Failure::runtime(format!("no current directory: {e}")))?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let failed = rt.block_on(async {
        let sinks = sink::from_layout(layout, &base).await;
        let clock: SharedClock = Arc::new(Utc::now);
        let policy = Policy {
            first: Duration::from_secs(2),
            max: Duration::from_secs(30),
            attempts: Some(4),
        };
        let delivery = Delivery::start(sinks, policy, &clock, &tx);
        drop(tx);
        delivery.enqueue(summary);
        delivery.finish().await;
        let mut failed = 0;
        while let Some(e) = rx.recv().await {
            if let EventBody::SummaryDelivery(d) = e.body {
                let detail = d.detail.unwrap_or_default();
                eprintln!("{} attempt {}: {:?} {detail}", d.sink, d.attempt, d.state);
                failed += usize::from(d.state == DeliveryState::Failed && d.next_retry.is_none());
            }
        }
        failed
    });
    if failed > 0 {
        return Err(Failure::runtime(format!(
            "summary {} not delivered to {failed} sink(s)",
            summary.id
        )));
    }
    Ok(())
}
