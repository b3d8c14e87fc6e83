//! Credentials for a live session: the routes (client sets) a layout needs. The profile is
//! `--profile`, else the one the layout's account names, else the default chain.

use crate::config::layout::Layout;
use crate::sources::ClientSet;

use super::routes::Route;

/// The profile used when the command line names none: the first account's.
pub fn default_profile<'a>(layout: &'a Layout, flag: Option<&'a str>) -> Option<&'a str> {
    flag.or_else(|| layout.accounts.iter().find_map(|a| a.profile.as_deref()))
}

/// How a profile is named on the banner and in logs.
pub fn profile_label(profile: Option<&str>) -> String {
    profile.map(|p| format!("profile {p}")).unwrap_or_default()
}

/// Loads credentials and region settings and builds the routes of `layout`.
pub async fn connect(layout: &Layout, profile: Option<&str>) -> Vec<Route> {
    let profile = default_profile(layout, profile);
    let clients = ClientSet::load(profile, &layout.regions()).await;
    vec![Route::all(clients, profile_label(profile))]
}
