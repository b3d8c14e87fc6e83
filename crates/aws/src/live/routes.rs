//! Which clients poll which sources: a `Route` is one account's `ClientSet` with the label of
//! its credentials (`profile prod`, `role arn:...`), and the part of the layout that belongs to
//! that account. One route covering every account is the single-credentials case.

use crate::config::layout::Layout;
use crate::sources::ClientSet;

use crate::source::layout_sources;

/// The clients of one account (or of all of them).
#[derive(Debug, Clone)]
pub struct Route {
    /// The layout's `[[account]] id` this route serves; None serves every account.
    pub(crate) account: Option<String>,
    /// Whose credentials, for the banner and the logs: `profile prod`, `role arn:...`, or empty
    /// for the default chain. Never a secret.
    pub(crate) credentials: String,
    pub(crate) clients: ClientSet,
}

impl Route {
    /// One client set for the whole layout.
    pub fn all(clients: ClientSet, credentials: impl Into<String>) -> Self {
        Route {
            account: None,
            credentials: credentials.into(),
            clients,
        }
    }

    /// The part of `layout` this route polls.
    pub(crate) fn slice(&self, layout: &Layout) -> Layout {
        match &self.account {
            None => layout.clone(),
            Some(id) => for_account(layout, id),
        }
    }
}

/// The layout restricted to the resources of account `id` (series, target groups,
/// accelerators, web ACLs, log groups). Alarms have no account in the layout: they stay with the
/// first account only, so they are polled once.
pub(crate) fn for_account(layout: &Layout, id: &str) -> Layout {
    let mut l = layout.clone();
    l.series.retain(|s| s.account == id);
    l.target_groups.retain(|t| t.account == id);
    l.accelerators.retain(|a| a.account == id);
    l.web_acls.retain(|w| w.account == id);
    l.log_groups.retain(|g| g.account == id);
    if layout.accounts.first().is_none_or(|a| a.id != id) {
        l.alarms.prefixes.clear();
        l.alarms.regions.clear();
    }
    l
}

/// Every source the routes start, with the credentials label of its route.
pub fn sources_with_credentials(layout: &Layout, routes: &[Route]) -> Vec<(String, String)> {
    routes
        .iter()
        .flat_map(|r| {
            layout_sources(&r.slice(layout))
                .into_iter()
                .map(|id| (id.to_string(), r.credentials.clone()))
        })
        .collect()
}
