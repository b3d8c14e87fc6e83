//! Credentials for a live session: the routes (client sets) a layout needs. With one account
//! and no role, one client set from the profile (`--profile`, else the account's, else the
//! default chain) serves everything. When an account names a `role_arn` (or the layout has
//! several accounts), each account gets its own client set: its base credentials (`--profile`,
//! else its own profile, else the default chain) assume its role through STS
//! (aws-config's `AssumeRoleProvider`, refreshed before expiry), and its sources are polled with
//! them. Only labels (`profile prod`, `role arn:...`) are ever logged; never a secret.

use aws_config::Region;
use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::provider::SharedCredentialsProvider;

use super::routes::{Route, for_account};
use crate::config::layout::Layout;
use crate::sources::ClientSet;
use crate::sources::clients::load_sdk_config;

/// STS session name of assumed roles (shows in `CloudTrail`).
pub const SESSION_NAME: &str = "warroom";

/// The profile used when the command line names none: the first account's.
pub fn default_profile<'a>(layout: &'a Layout, flag: Option<&'a str>) -> Option<&'a str> {
    flag.or_else(|| layout.accounts.iter().find_map(|a| a.profile.as_deref()))
}

/// How a profile is named on the banner and in logs.
pub(crate) fn profile_label(profile: Option<&str>) -> String {
    profile.map(|p| format!("profile {p}")).unwrap_or_default()
}

/// How the credentials of one route are obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    /// None: one route for every account.
    pub(crate) account: Option<String>,
    pub(crate) profile: Option<String>,
    pub(crate) role_arn: Option<String>,
}

impl Plan {
    /// `role arn:... (from profile p)`, `profile p`, or empty for the default chain.
    pub(crate) fn label(&self) -> String {
        match (&self.role_arn, &self.profile) {
            (Some(r), Some(p)) => format!("role {r} (from profile {p})"),
            (Some(r), None) => format!("role {r}"),
            (None, p) => profile_label(p.as_deref()),
        }
    }
}

/// The routes `layout` needs and how each gets its credentials.
pub(crate) fn plan(layout: &Layout, flag: Option<&str>) -> Vec<Plan> {
    let per_account =
        layout.accounts.len() > 1 || layout.accounts.iter().any(|a| a.role_arn.is_some());
    if !per_account {
        return vec![Plan {
            account: None,
            profile: default_profile(layout, flag).map(str::to_string),
            role_arn: None,
        }];
    }
    layout
        .accounts
        .iter()
        .map(|a| Plan {
            account: Some(a.id.clone()),
            profile: flag.map(str::to_string).or_else(|| a.profile.clone()),
            role_arn: a.role_arn.clone(),
        })
        .collect()
}

/// Loads credentials and region settings and builds the routes of `layout`.
pub async fn connect(layout: &Layout, profile: Option<&str>) -> Vec<Route> {
    let mut routes = Vec::new();
    for p in plan(layout, profile) {
        let slice = match &p.account {
            Some(id) => for_account(layout, id),
            None => layout.clone(),
        };
        let mut regions = slice.regions();
        if regions.is_empty() {
            regions.clone_from(&layout.regions());
        }
        let mut conf = load_sdk_config(p.profile.as_deref()).await;
        if let Some(role) = &p.role_arn {
            // STS needs a region; the account's first one when the environment names none.
            let base = if conf.region().is_some() {
                conf.clone()
            } else {
                let r = regions
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "us-east-1".into());
                conf.to_builder().region(Region::new(r)).build()
            };
            let provider = AssumeRoleProvider::builder(role.clone())
                .session_name(SESSION_NAME)
                .configure(&base)
                .build()
                .await;
            conf = base
                .to_builder()
                .credentials_provider(SharedCredentialsProvider::new(provider))
                .build();
        }
        let label = p.label();
        tracing::info!(account = p.account.as_deref().unwrap_or("*"), credentials = %label, "credentials");
        routes.push(Route {
            account: p.account,
            credentials: label,
            clients: ClientSet::from_sdk_config(&conf, &regions),
        });
    }
    routes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::layout::Account;
    use warroom_core::testing::layout;

    fn account(id: &str, profile: Option<&str>, role: Option<&str>) -> Account {
        Account {
            id: id.into(),
            account_id: None,
            profile: profile.map(str::to_string),
            role_arn: role.map(str::to_string),
        }
    }

    #[test]
    fn one_account_without_a_role_is_one_route() {
        let mut l = layout();
        l.accounts = vec![account("main", Some("prod"), None)];
        let p = plan(&l, None);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].account, None);
        assert_eq!(p[0].label(), "profile prod");
        assert_eq!(plan(&l, Some("other"))[0].label(), "profile other");
    }

    #[test]
    fn a_role_gives_each_account_its_route() {
        let mut l = layout();
        let role = "arn:aws:iam::111122223333:role/warroom-read";
        l.accounts = vec![
            account("main", Some("prod"), None),
            account("edge", None, Some(role)),
        ];
        let p = plan(&l, None);
        assert_eq!(
            p.iter().map(Plan::label).collect::<Vec<_>>(),
            ["profile prod".to_string(), format!("role {role}")]
        );
        // --profile is the base credentials of every account, the role still assumed.
        let p = plan(&l, Some("ops"));
        assert_eq!(p[1].label(), format!("role {role} (from profile ops)"));
        assert_eq!(p[1].account.as_deref(), Some("edge"));
    }

    #[tokio::test]
    async fn connect_builds_a_client_set_per_account_for_its_regions() {
        let mut l = layout();
        l.accounts = vec![
            account("main", None, None),
            account("edge", None, Some("arn:aws:iam::111122223333:role/r")),
        ];
        // The edge account owns only the CloudFront web ACL (Virginia).
        for w in &mut l.web_acls {
            if w.id == "edge.waf" {
                w.account = "edge".into();
            }
        }
        let routes = connect(&l, None).await;
        assert_eq!(routes.len(), 2);
        assert_eq!(routes[0].account.as_deref(), Some("main"));
        assert_eq!(routes[0].clients.regions.len(), 3);
        assert_eq!(routes[1].account.as_deref(), Some("edge"));
        assert_eq!(
            routes[1].clients.regions.keys().collect::<Vec<_>>(),
            ["us-east-1"]
        );
        assert!(
            routes[1]
                .credentials
                .starts_with("role arn:aws:iam::111122223333:role/r")
        );
        // The edge account's slice polls only its ACL; alarms stay with the first account.
        let edge = routes[1].slice(&l);
        assert_eq!(edge.web_acls.len(), 1);
        assert!(edge.series.is_empty() && edge.target_groups.is_empty());
        assert!(edge.alarms.prefixes.is_empty());
        assert!(!routes[0].slice(&l).alarms.prefixes.is_empty());
    }
}
