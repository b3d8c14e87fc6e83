//! Seeding moto_server: an ALB with registered targets (`ELBv2`), log events (Logs) and web
//! ACLs (`WAFv2`) through the Rust SDK; EC2 networks and instances, and SNS topics read back
//! through SQS, through boto3 in the emulators' virtualenv (`moto_seed.py`), since warroom has
//! no SDK crate for those services.

use std::path::PathBuf;
use std::process::Command;

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, ProtocolEnum, TargetDescription, TargetTypeEnum,
};
use aws_sdk_wafv2::types::{AllowAction, DefaultAction, Scope, VisibilityConfig};
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::server::{repo_root, venv};

/// Runs `moto_seed.py COMMAND URL REGION ARGS...` with the virtualenv's Python; its JSON output.
pub fn seed(command: &str, url: &str, region: &str, args: &[&str]) -> Value {
    let python = venv().join("bin/python");
    assert!(
        python.exists(),
        "seeding moto needs boto3 from the emulators' virtualenv ({}): run scripts/emulators.sh install",
        python.display()
    );
    let script: PathBuf = repo_root().join("tests/it/support/emulators/moto_seed.py");
    let out = Command::new(&python)
        .arg(script)
        .args([command, url, region])
        .args(args)
        .output()
        .expect("run moto_seed.py");
    assert!(
        out.status.success(),
        "moto_seed.py {command} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("moto_seed.py prints JSON")
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
        .iter()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

/// A VPC and two subnets in two availability zones of `region`.
pub struct Network {
    pub vpc: String,
    pub subnets: Vec<String>,
}

/// Creates a VPC `cidr`.0.0/16 (e.g. "10.7") with two subnets.
pub fn network(url: &str, region: &str, cidr: &str) -> Network {
    let v = seed("network", url, region, &[cidr]);
    Network {
        vpc: v["vpc"].as_str().expect("vpc id").to_string(),
        subnets: strings(&v, "subnets"),
    }
}

/// Starts `count` instances in `subnet`; their ids.
pub fn run_instances(url: &str, region: &str, subnet: &str, count: usize) -> Vec<String> {
    strings(
        &seed("instances", url, region, &[subnet, &count.to_string()]),
        "instances",
    )
}

pub fn stop_instances(url: &str, region: &str, ids: &[&str]) {
    seed("stop", url, region, ids);
}

/// DescribeTargetHealth as boto3 reads it: objects with id, port, state, reason, description.
pub fn boto3_target_health(url: &str, region: &str, tg_arn: &str) -> Vec<Value> {
    seed("target-health", url, region, &[tg_arn])["targets"]
        .as_array()
        .expect("targets")
        .clone()
}

/// An SNS topic whose notifications land in an SQS queue, so a test can read what was
/// published (for the summary's SNS sink).
pub struct SnsInbox {
    pub topic_arn: String,
    pub queue_url: String,
}

pub fn sns_topic(url: &str, region: &str, name: &str) -> SnsInbox {
    let v = seed("sns-topic", url, region, &[name]);
    SnsInbox {
        topic_arn: v["topic_arn"].as_str().expect("topic arn").to_string(),
        queue_url: v["queue_url"].as_str().expect("queue url").to_string(),
    }
}

/// Notifications published to the inbox's topic since the last call: (subject, message).
pub fn sns_messages(url: &str, region: &str, inbox: &SnsInbox) -> Vec<(Option<String>, String)> {
    seed("sns-messages", url, region, &[&inbox.queue_url])["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| {
            (
                m["subject"].as_str().map(ToString::to_string),
                m["message"].as_str().expect("message").to_string(),
            )
        })
        .collect()
}

/// An application load balancer, its HTTP target group and listener, with `targets`
/// registered on `port`.
pub struct Alb {
    pub target_group_arn: String,
}

pub async fn alb_with_targets(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    lb_name: &str,
    tg_name: &str,
    net: &Network,
    targets: &[String],
    port: i32,
) -> Alb {
    let tg = client
        .create_target_group()
        .name(tg_name)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .vpc_id(&net.vpc)
        .target_type(TargetTypeEnum::Instance)
        .send()
        .await
        .expect("CreateTargetGroup");
    let tg_arn = tg.target_groups()[0]
        .target_group_arn()
        .expect("target group arn")
        .to_string();
    let lb = client
        .create_load_balancer()
        .name(lb_name)
        .set_subnets(Some(net.subnets.clone()))
        .send()
        .await
        .expect("CreateLoadBalancer");
    let lb_arn = lb.load_balancers()[0]
        .load_balancer_arn()
        .expect("load balancer arn")
        .to_string();
    client
        .create_listener()
        .load_balancer_arn(&lb_arn)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(
            Action::builder()
                .r#type(ActionTypeEnum::Forward)
                .target_group_arn(&tg_arn)
                .build(),
        )
        .send()
        .await
        .expect("CreateListener");
    let descs: Vec<TargetDescription> = targets
        .iter()
        .map(|id| TargetDescription::builder().id(id).port(port).build())
        .collect();
    client
        .register_targets()
        .target_group_arn(&tg_arn)
        .set_targets(Some(descs))
        .send()
        .await
        .expect("RegisterTargets");
    Alb {
        target_group_arn: tg_arn,
    }
}

/// Creates log group `group` with stream `stream` and puts `events` (oldest first).
pub async fn log_events(
    client: &aws_sdk_cloudwatchlogs::Client,
    group: &str,
    stream: &str,
    events: &[(DateTime<Utc>, String)],
) {
    client
        .create_log_group()
        .log_group_name(group)
        .send()
        .await
        .expect("CreateLogGroup");
    client
        .create_log_stream()
        .log_group_name(group)
        .log_stream_name(stream)
        .send()
        .await
        .expect("CreateLogStream");
    let evs = events
        .iter()
        .map(|(t, m)| {
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp(t.timestamp_millis())
                .message(m)
                .build()
                .expect("log event")
        })
        .collect();
    client
        .put_log_events()
        .log_group_name(group)
        .log_stream_name(stream)
        .set_log_events(Some(evs))
        .send()
        .await
        .expect("PutLogEvents");
}

/// Creates a web ACL allowing everything; its ARN.
pub async fn web_acl(client: &aws_sdk_wafv2::Client, name: &str, scope: Scope) -> String {
    let out = client
        .create_web_acl()
        .name(name)
        .scope(scope)
        .default_action(
            DefaultAction::builder()
                .allow(AllowAction::builder().build())
                .build(),
        )
        .visibility_config(
            VisibilityConfig::builder()
                .sampled_requests_enabled(true)
                .cloud_watch_metrics_enabled(true)
                .metric_name(name)
                .build()
                .expect("visibility config"),
        )
        .send()
        .await
        .expect("CreateWebACL");
    out.summary()
        .and_then(|s| s.arn())
        .expect("web ACL arn")
        .to_string()
}
