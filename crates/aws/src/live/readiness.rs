//! The readiness report a live session records when it starts (`collect`, `watch`): the same
//! checks as `warroom ready`, read once with the session's credentials, as a `readiness` event
//! that the session's journal writes to the log (so the room's screens and the post-mortem
//! report have it). Only for layouts with a `[readiness]` section; bounded in time so a slow
//! account never holds the session back.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::runtime::Runtime;

use crate::config::Layout;
use crate::model::{Event, EventBody};

/// How long the readiness reads may take before the session starts without them.
pub(crate) const AT_START_LIMIT: Duration = Duration::from_secs(30);

/// The `readiness` event of `layout` at `at`, or None (no `[readiness]`, or too slow).
pub fn at_start(
    runtime: &Runtime,
    layout: &Layout,
    profile: Option<&str>,
    at: DateTime<Utc>,
) -> Option<Event> {
    layout.readiness.as_ref()?;
    let read = crate::ready_aws::report_with_profile(layout, profile, at, false);
    let report = runtime.block_on(async { tokio::time::timeout(AT_START_LIMIT, read).await.ok() });
    if report.is_none() {
        tracing::warn!("readiness checks took longer than {AT_START_LIMIT:?}: not recorded");
    }
    report.map(|r| Event {
        at,
        body: EventBody::Readiness(r),
    })
}
