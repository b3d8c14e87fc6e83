//! `docs/iam-policy.json` allows exactly the AWS operations the pollers and the readiness checks
//! call, and only reads: every `client.<operation>()` call in `crates/aws/src/sources/*.rs` and
//! `crates/aws/src/ready_aws/*.rs` maps to an action in the policy, every action in the policy
//! is called somewhere, and none of them writes.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// IAM service prefix of the SDK client used in each poller file.
/// (Files calling several services are not listed: their calls may match any service.)
const FILE_SERVICE: &[(&str, &str)] = &[
    ("sources/cloudwatch.rs", "cloudwatch"),
    ("sources/alarms.rs", "cloudwatch"),
    ("sources/quotas.rs", "cloudwatch"),
    ("sources/elbv2.rs", "elasticloadbalancing"),
    ("sources/ga.rs", "globalaccelerator"),
    ("sources/waf.rs", "wafv2"),
    ("sources/logs.rs", "logs"),
    ("ready_aws/alarms.rs", "cloudwatch"),
];

/// Directories under `crates/aws/src/` whose files call AWS.
const AWS_DIRS: &[&str] = &["sources", "ready_aws"];

/// Read-only verbs; `logs:StartQuery` is classified as a read by IAM (it runs a query).
const READ_PREFIXES: &[&str] = &["Get", "List", "Describe", "Filter", "StartQuery"];

/// Operation names called as `client.<name>()` (whitespace and newlines allowed around the dot).
fn sdk_calls(src: &str) -> Vec<String> {
    let mut out = vec![];
    let mut rest = src;
    while let Some(i) = rest.find("client") {
        rest = &rest[i + "client".len()..];
        let after = rest.trim_start();
        let Some(after) = after.strip_prefix('.') else {
            continue;
        };
        let after = after.trim_start();
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        if !name.is_empty() && after[name.len()..].starts_with("()") {
            out.push(name);
        }
    }
    out
}

/// `get_metric_data` -> `getmetricdata`, compared case-insensitively with IAM action names
/// (`ListWebACLs` is `list_web_acls` in the SDK).
fn squash(name: &str) -> String {
    name.replace('_', "").to_ascii_lowercase()
}

fn policy_actions() -> Vec<String> {
    let text = fs::read_to_string("docs/iam-policy.json").expect("docs/iam-policy.json exists");
    let policy: serde_json::Value = serde_json::from_str(&text).expect("policy is JSON");
    let mut actions = vec![];
    for st in policy["Statement"].as_array().expect("Statement array") {
        assert_eq!(st["Effect"], "Allow", "{st}");
        match &st["Action"] {
            serde_json::Value::String(a) => actions.push(a.clone()),
            serde_json::Value::Array(a) => {
                actions.extend(a.iter().map(|v| v.as_str().expect("string").to_string()));
            }
            other => panic!("unexpected Action {other}"),
        }
    }
    actions
}

/// (`dir/file`, operation) for every SDK call in the AWS directories.
fn calls() -> Vec<(String, String)> {
    let mut out = vec![];
    for dir in AWS_DIRS {
        let root = Path::new("crates/aws/src").join(dir);
        for entry in fs::read_dir(&root).expect("an AWS directory") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "rs") {
                let file = format!(
                    "{dir}/{}",
                    path.file_name().expect("name").to_string_lossy()
                );
                let src = fs::read_to_string(&path).expect("readable");
                out.extend(sdk_calls(&src).into_iter().map(|op| (file.clone(), op)));
            }
        }
    }
    out
}

#[test]
fn the_scanner_finds_calls_split_over_lines() {
    let src = "let x = client\n    .get_metric_data()\n    .start_time(t);\nclient.list_web_acls()";
    assert_eq!(sdk_calls(src), ["get_metric_data", "list_web_acls"]);
}

#[test]
fn every_called_operation_is_allowed() {
    let actions = policy_actions();
    let calls = calls();
    let ops: BTreeSet<&str> = calls.iter().map(|(_, op)| op.as_str()).collect();
    assert!(ops.len() >= 12, "scanner found too few calls: {ops:?}");
    for (file, op) in &calls {
        let service = FILE_SERVICE
            .iter()
            .find(|(f, _)| f == file)
            .map(|(_, s)| *s);
        let allowed = actions.iter().any(|a| {
            let (svc, name) = a.split_once(':').expect("service:Action");
            squash(name) == squash(op) && service.is_none_or(|s| s == svc)
        });
        assert!(
            allowed,
            "{file}: {op}() is not allowed by docs/iam-policy.json"
        );
    }
}

#[test]
fn every_allowed_action_is_used_and_read_only() {
    let ops: BTreeSet<String> = calls().into_iter().map(|(_, op)| squash(&op)).collect();
    for a in policy_actions() {
        let (_, name) = a.split_once(':').expect("service:Action");
        assert!(!name.contains('*'), "no wildcards: {a}");
        assert!(
            READ_PREFIXES.iter().any(|p| name.starts_with(p)),
            "not a read action: {a}"
        );
        assert!(
            ops.contains(&squash(name)),
            "{a} is never called: not least privilege"
        );
    }
}
