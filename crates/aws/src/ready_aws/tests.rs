//! `aws-smithy-mocks` tests of each reader: SDK replies in, plain facts out (pagination caps,
//! filtering to the layout's names, counts for the quotas, failures as gaps).

use aws_smithy_mocks::{RuleMode, mock, mock_client};
use chrono::{TimeZone, Utc};

use super::{Part, compute, data, edge, quotas, spawn};
use crate::config::layout::WafScope;
use crate::ready::catalog;

fn count(p: &Part, quota: &str) -> Option<f64> {
    p.counts.iter().find(|(q, _, _)| q == quota).map(|c| c.2)
}

#[tokio::test]
async fn asgs_are_read_across_pages_and_counted() {
    use aws_sdk_autoscaling::Client;
    use aws_sdk_autoscaling::operation::describe_auto_scaling_groups::DescribeAutoScalingGroupsOutput;
    use aws_sdk_autoscaling::types::{AutoScalingGroup, Instance};
    let first = mock!(Client::describe_auto_scaling_groups).then_output(|| {
        DescribeAutoScalingGroupsOutput::builder()
            .auto_scaling_groups(
                AutoScalingGroup::builder()
                    .auto_scaling_group_name("other")
                    .build(),
            )
            .next_token("p2")
            .build()
    });
    let second = mock!(Client::describe_auto_scaling_groups).then_output(|| {
        DescribeAutoScalingGroupsOutput::builder()
            .auto_scaling_groups(
                AutoScalingGroup::builder()
                    .auto_scaling_group_name("BTS-AS")
                    .min_size(2)
                    .max_size(4)
                    .desired_capacity(2)
                    .health_check_type("ELB")
                    .availability_zones("ap-northeast-2c")
                    .availability_zones("ap-northeast-2a")
                    .health_check_grace_period(120)
                    .instances(Instance::builder().instance_type("t3.micro").build())
                    .build(),
            )
            .build()
    });
    let client = mock_client!(aws_sdk_autoscaling, RuleMode::Sequential, [&first, &second]);
    let p = compute::asgs(&client, "ap-northeast-2", &["BTS-AS".into()])
        .await
        .expect("read");
    assert_eq!(count(&p, "asg"), Some(2.0));
    let a = &p.facts.asgs[0];
    assert_eq!((a.min, a.max, a.desired), (2.0, 4.0, 2.0));
    assert_eq!(a.zones, ["ap-northeast-2a", "ap-northeast-2c"]);
    assert_eq!(
        a.warmup,
        Some(120),
        "the grace period without a default warm-up"
    );
    assert_eq!(a.instance_type(), Some("t3.micro"));
    assert_eq!(p.facts.asgs.len(), 1);
}

#[tokio::test]
async fn ecs_services_carry_desired_running_and_strategy() {
    use aws_sdk_ecs::Client;
    use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
    use aws_sdk_ecs::types::{SchedulingStrategy, Service};
    let rule = mock!(Client::describe_services)
        .match_requests(|r| r.cluster() == Some("WEB") && r.services() == ["service"])
        .then_output(|| {
            DescribeServicesOutput::builder()
                .services(
                    Service::builder()
                        .service_name("service")
                        .desired_count(2)
                        .running_count(1)
                        .scheduling_strategy(SchedulingStrategy::Daemon)
                        .build(),
                )
                .build()
        });
    let client = mock_client!(aws_sdk_ecs, [&rule]);
    let p = compute::ecs(&client, "us-east-1", "WEB", &["service".into()])
        .await
        .expect("read");
    let s = &p.facts.ecs[0];
    assert_eq!(
        (s.desired, s.running, s.strategy.as_str()),
        (2.0, 1.0, "DAEMON")
    );
}

#[tokio::test]
async fn db_instances_tell_replicas_and_count_all() {
    use aws_sdk_rds::Client;
    use aws_sdk_rds::operation::describe_db_instances::DescribeDbInstancesOutput;
    use aws_sdk_rds::types::DbInstance;
    let rule = mock!(Client::describe_db_instances).then_output(|| {
        DescribeDbInstancesOutput::builder()
            .db_instances(
                DbInstance::builder()
                    .db_instance_identifier("db")
                    .multi_az(true)
                    .backup_retention_period(7)
                    .build(),
            )
            .db_instances(
                DbInstance::builder()
                    .db_instance_identifier("db-replica")
                    .read_replica_source_db_instance_identifier("db")
                    .build(),
            )
            .db_instances(
                DbInstance::builder()
                    .db_instance_identifier("unrelated")
                    .build(),
            )
            .build()
    });
    let client = mock_client!(aws_sdk_rds, [&rule]);
    let p = data::rds(&client, "r", &["db".into(), "db-replica".into()])
        .await
        .expect("read");
    assert_eq!(count(&p, "rds_instances"), Some(3.0));
    assert_eq!(p.facts.rds.len(), 2);
    assert!(p.facts.rds[0].multi_az && p.facts.rds[0].backup_retention_days == 7);
    assert_eq!(p.facts.rds[1].replica_of.as_deref(), Some("db"));
}

#[tokio::test]
async fn replication_groups_count_their_nodes() {
    use aws_sdk_elasticache::Client;
    use aws_sdk_elasticache::operation::describe_replication_groups::DescribeReplicationGroupsOutput;
    use aws_sdk_elasticache::types::{AutomaticFailoverStatus, ReplicationGroup};
    let rule = mock!(Client::describe_replication_groups).then_output(|| {
        DescribeReplicationGroupsOutput::builder()
            .replication_groups(
                ReplicationGroup::builder()
                    .replication_group_id("redis")
                    .member_clusters("redis-001")
                    .member_clusters("redis-002")
                    .automatic_failover(AutomaticFailoverStatus::Enabled)
                    .build(),
            )
            .build()
    });
    let client = mock_client!(aws_sdk_elasticache, [&rule]);
    let p = data::cache(&client, "r", "redis").await.expect("read");
    let c = &p.facts.caches[0];
    assert_eq!(
        (c.nodes, c.automatic_failover, c.multi_az),
        (2, true, false)
    );
}

#[tokio::test]
async fn records_are_looked_up_in_the_longest_matching_zone() {
    use aws_sdk_route53::Client;
    use aws_sdk_route53::operation::list_hosted_zones::ListHostedZonesOutput;
    use aws_sdk_route53::operation::list_resource_record_sets::ListResourceRecordSetsOutput;
    use aws_sdk_route53::types::{AliasTarget, HostedZone, ResourceRecordSet, RrType};
    let zones = mock!(Client::list_hosted_zones).then_output(|| {
        let z = |id: &str, name: &str| {
            HostedZone::builder()
                .id(id)
                .name(name)
                .caller_reference("x")
                .build()
                .expect("zone")
        };
        ListHostedZonesOutput::builder()
            .hosted_zones(z("/hostedzone/Z1", "example.com."))
            .hosted_zones(z("/hostedzone/Z2", "shop.example.com."))
            .marker("")
            .is_truncated(false)
            .max_items(100)
            .build()
            .expect("output")
    });
    let records = mock!(Client::list_resource_record_sets)
        .match_requests(|r| r.hosted_zone_id() == Some("Z2"))
        .then_output(|| {
            let alias = AliasTarget::builder()
                .hosted_zone_id("Z")
                .dns_name("a.awsglobalaccelerator.com.")
                .evaluate_target_health(true)
                .build()
                .expect("alias");
            ListResourceRecordSetsOutput::builder()
                .resource_record_sets(
                    ResourceRecordSet::builder()
                        .name("www.shop.example.com.")
                        .r#type(RrType::A)
                        .alias_target(alias)
                        .build()
                        .expect("record"),
                )
                .resource_record_sets(
                    ResourceRecordSet::builder()
                        .name("www.shop.example.com.")
                        .r#type(RrType::Aaaa)
                        .ttl(300)
                        .build()
                        .expect("record"),
                )
                .resource_record_sets(
                    ResourceRecordSet::builder()
                        .name("xyz.shop.example.com.")
                        .r#type(RrType::A)
                        .ttl(5)
                        .build()
                        .expect("record"),
                )
                .is_truncated(false)
                .max_items(20)
                .build()
                .expect("output")
        });
    let client = mock_client!(aws_sdk_route53, RuleMode::MatchAny, [&zones, &records]);
    let p = data::records(&client, &["www.shop.example.com".into()])
        .await
        .expect("read");
    let got: Vec<(&str, Option<i64>, bool)> = p
        .facts
        .records
        .iter()
        .map(|r| (r.kind.as_str(), r.ttl, r.alias))
        .collect();
    assert_eq!(got, [("A", None, true), ("AAAA", Some(300), false)]);
}

#[tokio::test]
async fn target_groups_give_health_check_settings_and_the_counts() {
    use aws_sdk_elasticloadbalancingv2::Client;
    use aws_sdk_elasticloadbalancingv2::operation::describe_load_balancers::DescribeLoadBalancersOutput;
    use aws_sdk_elasticloadbalancingv2::operation::describe_target_groups::DescribeTargetGroupsOutput;
    use aws_sdk_elasticloadbalancingv2::types::{LoadBalancer, LoadBalancerTypeEnum, TargetGroup};
    let tgs = mock!(Client::describe_target_groups).then_output(|| {
        DescribeTargetGroupsOutput::builder()
            .target_groups(
                TargetGroup::builder()
                    .target_group_name("BTS-tg")
                    .health_check_interval_seconds(10)
                    .unhealthy_threshold_count(3)
                    .healthy_threshold_count(2)
                    .build(),
            )
            .target_groups(TargetGroup::builder().target_group_name("other").build())
            .build()
    });
    let lbs = mock!(Client::describe_load_balancers).then_output(|| {
        DescribeLoadBalancersOutput::builder()
            .load_balancers(
                LoadBalancer::builder()
                    .r#type(LoadBalancerTypeEnum::Application)
                    .build(),
            )
            .load_balancers(
                LoadBalancer::builder()
                    .r#type(LoadBalancerTypeEnum::Network)
                    .build(),
            )
            .build()
    });
    let client = mock_client!(
        aws_sdk_elasticloadbalancingv2,
        RuleMode::MatchAny,
        [&tgs, &lbs]
    );
    let p = edge::target_groups(&client, "r", &["BTS-tg".into()])
        .await
        .expect("read");
    assert_eq!(count(&p, "target_groups"), Some(2.0));
    assert_eq!(
        count(&p, "alb"),
        Some(1.0),
        "network load balancers are not ALBs"
    );
    let t = &p.facts.target_groups[0];
    assert_eq!(
        (t.interval, t.unhealthy_threshold, t.healthy_threshold),
        (10, 3, 2)
    );
    assert_eq!(crate::ready::facts::TargetGroupFact::clone(t).timeout, 5);
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // one story: the accelerator, its groups, their load balancers
async fn endpoint_groups_of_the_named_accelerator() {
    use aws_sdk_elasticloadbalancingv2::operation::describe_listeners::DescribeListenersOutput;
    use aws_sdk_elasticloadbalancingv2::types::{Listener as LbListener, ProtocolEnum};
    use aws_sdk_globalaccelerator::Client;
    use aws_sdk_globalaccelerator::operation::list_accelerators::ListAcceleratorsOutput;
    use aws_sdk_globalaccelerator::operation::list_endpoint_groups::ListEndpointGroupsOutput;
    use aws_sdk_globalaccelerator::operation::list_listeners::ListListenersOutput;
    use aws_sdk_globalaccelerator::types::{
        Accelerator, EndpointDescription, EndpointGroup, Listener,
    };
    let accs = mock!(Client::list_accelerators).then_output(|| {
        ListAcceleratorsOutput::builder()
            .accelerators(
                Accelerator::builder()
                    .name("BTS-AGA")
                    .accelerator_arn("arn:acc")
                    .build(),
            )
            .accelerators(
                Accelerator::builder()
                    .name("other")
                    .accelerator_arn("arn:x")
                    .build(),
            )
            .build()
    });
    let listeners = mock!(Client::list_listeners).then_output(|| {
        ListListenersOutput::builder()
            .listeners(
                Listener::builder()
                    .listener_arn("arn:acc/listener/1")
                    .port_ranges(
                        aws_sdk_globalaccelerator::types::PortRange::builder()
                            .from_port(443)
                            .to_port(443)
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let groups = mock!(Client::list_endpoint_groups).then_output(|| {
        ListEndpointGroupsOutput::builder()
            .endpoint_groups(
                EndpointGroup::builder()
                    .endpoint_group_region("ap-northeast-2")
                    .health_check_interval_seconds(10)
                    .threshold_count(2)
                    .endpoint_descriptions(
                        EndpointDescription::builder()
                            .endpoint_id("arn:aws:elasticloadbalancing:ap-northeast-2:1:loadbalancer/app/BTS-ALB/1")
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let client = mock_client!(
        aws_sdk_globalaccelerator,
        RuleMode::MatchAny,
        [&accs, &listeners, &groups]
    );
    let lb_arn = "arn:aws:elasticloadbalancing:ap-northeast-2:1:loadbalancer/app/BTS-ALB/1";
    let lb = mock!(aws_sdk_elasticloadbalancingv2::Client::describe_listeners)
        .match_requests(move |r| r.load_balancer_arn() == Some(lb_arn))
        .then_output(|| {
            DescribeListenersOutput::builder()
                .listeners(
                    LbListener::builder()
                        .port(80)
                        .protocol(ProtocolEnum::Http)
                        .build(),
                )
                .build()
        });
    let elbv2 = mock_client!(aws_sdk_elasticloadbalancingv2, [&lb]);
    let by_region = std::collections::BTreeMap::from([("ap-northeast-2".to_string(), elbv2)]);
    let p = edge::accelerators(&client, &by_region, &["BTS-AGA".into()])
        .await
        .expect("read");
    assert_eq!(count(&p, "ga_accelerators"), Some(2.0));
    let g = &p.facts.ga_groups[0];
    assert_eq!((g.interval, g.threshold, g.alb_endpoints), (10, 2, true));
    assert_eq!(g.accelerator, "BTS-AGA");
    assert_eq!(g.ports, [(443, 443)]);
    assert_eq!(g.endpoints, [lb_arn]);
    // The endpoint's own listeners, read in its region.
    let alb = &p.facts.albs[0];
    assert_eq!(
        (alb.name.as_str(), alb.region.as_str()),
        ("BTS-ALB", "ap-northeast-2")
    );
    assert_eq!(alb.listeners, [(80, "HTTP".to_string())]);
}

#[tokio::test]
async fn group_metrics_and_the_credit_balance_of_a_burstable_group() {
    use aws_sdk_autoscaling::operation::describe_auto_scaling_groups::DescribeAutoScalingGroupsOutput;
    use aws_sdk_autoscaling::types::{AutoScalingGroup, EnabledMetric, Instance};
    use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
    use aws_sdk_cloudwatch::types::MetricDataResult;
    let groups =
        mock!(aws_sdk_autoscaling::Client::describe_auto_scaling_groups).then_output(|| {
            DescribeAutoScalingGroupsOutput::builder()
                .auto_scaling_groups(
                    AutoScalingGroup::builder()
                        .auto_scaling_group_name("BTS-AS")
                        .enabled_metrics(
                            EnabledMetric::builder()
                                .metric("GroupInServiceInstances")
                                .granularity("1Minute")
                                .build(),
                        )
                        .instances(Instance::builder().instance_type("t2.micro").build())
                        .build(),
                )
                .build()
        });
    let client = mock_client!(aws_sdk_autoscaling, [&groups]);
    let mut p = compute::asgs(&client, "ap-northeast-2", &["BTS-AS".into()])
        .await
        .expect("read");
    assert_eq!(p.facts.asgs[0].enabled_metrics, ["GroupInServiceInstances"]);
    let t = |s: i64| aws_smithy_types::DateTime::from_secs(s);
    let balance = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| {
            r.metric_data_queries().len() == 1
                && r.metric_data_queries()[0]
                    .metric_stat()
                    .and_then(|m| m.metric())
                    .and_then(|m| m.metric_name())
                    == Some("CPUCreditBalance")
        })
        .then_output(move || {
            GetMetricDataOutput::builder()
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("c0")
                        .timestamps(t(600))
                        .values(87.5)
                        .timestamps(t(300))
                        .values(90.0)
                        .build(),
                )
                .build()
        });
    let cw = mock_client!(aws_sdk_cloudwatch, [&balance]);
    let now = Utc
        .with_ymd_and_hms(2026, 6, 13, 9, 0, 0)
        .single()
        .expect("time");
    compute::credit_balances(&cw, &mut p.facts.asgs, now).await;
    assert_eq!(
        p.facts.asgs[0].credit_balance,
        Some(87.5),
        "the newest point"
    );
}

#[tokio::test]
async fn web_acl_rules_in_count_and_rate_limits() {
    use aws_sdk_wafv2::Client;
    use aws_sdk_wafv2::operation::get_web_acl::GetWebAclOutput;
    use aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput;
    use aws_sdk_wafv2::types::{
        CountAction, DefaultAction, OverrideAction, RateBasedStatement,
        RateBasedStatementAggregateKeyType, Rule, RuleAction, Statement, VisibilityConfig, WebAcl,
        WebAclSummary,
    };
    let list = mock!(Client::list_web_acls).then_output(|| {
        ListWebAcLsOutput::builder()
            .web_acls(
                WebAclSummary::builder()
                    .name("acl")
                    .arn("arn:aws:wafv2:r:1:regional/webacl/acl/abc-123")
                    .build(),
            )
            .build()
    });
    let get = mock!(Client::get_web_acl)
        .match_requests(|r| r.id() == Some("abc-123") && r.name() == Some("acl"))
        .then_output(|| {
            let vis = VisibilityConfig::builder()
                .sampled_requests_enabled(true)
                .cloud_watch_metrics_enabled(true)
                .metric_name("m")
                .build()
                .expect("vis");
            let rate = RateBasedStatement::builder()
                .limit(300)
                .evaluation_window_sec(60)
                .aggregate_key_type(RateBasedStatementAggregateKeyType::Ip)
                .build()
                .expect("rate");
            let rule = |name: &str, priority: i32| {
                Rule::builder()
                    .name(name)
                    .priority(priority)
                    .visibility_config(vis.clone())
            };
            let acl = WebAcl::builder()
                .name("acl")
                .id("abc-123")
                .arn("arn")
                .default_action(DefaultAction::builder().build())
                .visibility_config(vis.clone())
                .capacity(1327)
                .rules(
                    rule("rate", 0)
                        .statement(Statement::builder().rate_based_statement(rate).build())
                        .action(
                            RuleAction::builder()
                                .count(CountAction::builder().build())
                                .build(),
                        )
                        .build()
                        .expect("rule"),
                )
                .rules(
                    rule("managed", 1)
                        .override_action(
                            OverrideAction::builder()
                                .count(CountAction::builder().build())
                                .build(),
                        )
                        .build()
                        .expect("rule"),
                )
                .build()
                .expect("acl");
            GetWebAclOutput::builder().web_acl(acl).build()
        });
    let client = mock_client!(aws_sdk_wafv2, RuleMode::MatchAny, [&list, &get]);
    let p = edge::web_acl(&client, "acl", WafScope::Regional, "r")
        .await
        .expect("read");
    let acl = &p.facts.web_acls[0];
    assert_eq!(acl.capacity, Some(1327));
    assert!(acl.rules.iter().all(|r| r.count_mode));
    assert_eq!(acl.rules[0].rate_limit, Some((300, 60)));
    assert_eq!(acl.rules[1].rate_limit, None);
}

#[tokio::test]
async fn alarms_keep_their_metric_sorted_dimensions_and_enabled_actions() {
    use aws_sdk_cloudwatch::Client;
    use aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput;
    use aws_sdk_cloudwatch::types::{Dimension, MetricAlarm, StateValue};
    let rule = mock!(Client::describe_alarms).then_output(|| {
        DescribeAlarmsOutput::builder()
            .metric_alarms(
                MetricAlarm::builder()
                    .alarm_name("a")
                    .namespace("AWS/ApplicationELB")
                    .metric_name("UnHealthyHostCount")
                    .dimensions(Dimension::builder().name("TargetGroup").value("tg").build())
                    .dimensions(
                        Dimension::builder()
                            .name("LoadBalancer")
                            .value("lb")
                            .build(),
                    )
                    .state_value(StateValue::InsufficientData)
                    .alarm_actions("arn:sns")
                    .build(),
            )
            .metric_alarms(
                MetricAlarm::builder()
                    .alarm_name("muted")
                    .actions_enabled(false)
                    .alarm_actions("arn:sns")
                    .build(),
            )
            .build()
    });
    let client = mock_client!(aws_sdk_cloudwatch, [&rule]);
    let p = super::alarms::alarms(&client, "r").await.expect("read");
    let a = &p.facts.alarms[0];
    assert_eq!(a.dimensions[0].0, "LoadBalancer");
    assert_eq!((a.state.as_str(), a.actions), ("INSUFFICIENT_DATA", 1));
    assert_eq!(p.facts.alarms[1].actions, 0, "disabled actions tell nobody");
}

#[tokio::test]
async fn a_quota_with_a_usage_metric_reads_service_quota_math() {
    use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
    use aws_sdk_cloudwatch::types::MetricDataResult;
    use aws_sdk_servicequotas::Client;
    use aws_sdk_servicequotas::operation::get_aws_default_service_quota::GetAwsDefaultServiceQuotaOutput;
    use aws_sdk_servicequotas::operation::get_service_quota::GetServiceQuotaOutput;
    use aws_sdk_servicequotas::types::ServiceQuota;
    let applied = mock!(Client::get_service_quota)
        .match_requests(|r| r.service_code() == Some("ec2") && r.quota_code() == Some("L-1216C47A"))
        .then_output(|| {
            GetServiceQuotaOutput::builder()
                .quota(ServiceQuota::builder().value(64.0).build())
                .build()
        });
    let default = mock!(Client::get_aws_default_service_quota).then_output(|| {
        GetAwsDefaultServiceQuotaOutput::builder()
            .quota(ServiceQuota::builder().value(32.0).build())
            .build()
    });
    let sq = mock_client!(
        aws_sdk_servicequotas,
        RuleMode::MatchAny,
        [&applied, &default]
    );
    let gmd = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| {
            r.metric_data_queries()
                .iter()
                .any(|q| q.expression() == Some("SERVICE_QUOTA(m)"))
        })
        .then_output(|| {
            let t = |s| aws_smithy_types::DateTime::from_secs(s);
            GetMetricDataOutput::builder()
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("m")
                        .timestamps(t(600))
                        .values(7.0)
                        .timestamps(t(300))
                        .values(5.0)
                        .build(),
                )
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("q")
                        .timestamps(t(600))
                        .values(64.0)
                        .build(),
                )
                .build()
        });
    let cw = mock_client!(aws_sdk_cloudwatch, [&gmd]);
    let now = Utc
        .with_ymd_and_hms(2026, 6, 13, 9, 0, 0)
        .single()
        .expect("t");
    let q = catalog::quota("ec2_vcpu").expect("quota");
    let p = quotas::quota(&sq, Some(&cw), q, "r", now).await;
    let f = &p.facts.quotas[0];
    assert_eq!(
        (f.value, f.default, f.usage),
        (Some(64.0), Some(32.0), Some(7.0))
    );
    assert_eq!(f.error, None);
}

#[tokio::test]
async fn a_quota_service_quotas_does_not_know_is_an_error_not_a_crash() {
    use aws_sdk_servicequotas::Client;
    use aws_sdk_servicequotas::operation::get_service_quota::GetServiceQuotaError;
    use aws_sdk_servicequotas::types::error::NoSuchResourceException;
    let rule = mock!(Client::get_service_quota).then_error(|| {
        GetServiceQuotaError::NoSuchResourceException(
            NoSuchResourceException::builder()
                .message("no such quota")
                .build(),
        )
    });
    let none = mock!(Client::get_aws_default_service_quota).then_error(|| {
        aws_sdk_servicequotas::operation::get_aws_default_service_quota::GetAWSDefaultServiceQuotaError::unhandled("x")
    });
    let sq = mock_client!(aws_sdk_servicequotas, RuleMode::MatchAny, [&rule, &none]);
    let now = Utc
        .with_ymd_and_hms(2026, 6, 13, 9, 0, 0)
        .single()
        .expect("t");
    let p = quotas::quota(&sq, None, catalog::quota("alb").expect("alb"), "r", now).await;
    let f = &p.facts.quotas[0];
    assert_eq!((f.value, f.default), (None, None));
    assert!(
        f.error
            .as_deref()
            .is_some_and(|e| e.starts_with("GetServiceQuota")),
        "{f:?}"
    );
}

#[tokio::test]
async fn a_failed_read_becomes_a_gap_over_its_checks() {
    let mut set = tokio::task::JoinSet::new();
    spawn(
        &mut set,
        vec!["scaling.asg.BTS-AS".into(), "scaling.asg.X".into()],
        async {
            Err(super::failed(
                "DescribeAutoScalingGroups",
                "AccessDenied: no".into(),
            ))
        },
    );
    let p = set.join_next().await.expect("task").expect("joined");
    let prefixes: Vec<&str> = p.facts.gaps.iter().map(|g| g.prefix.as_str()).collect();
    assert_eq!(prefixes, ["scaling.asg.BTS-AS", "scaling.asg.X"]);
    assert_eq!(
        p.facts.gaps[0].detail,
        "DescribeAutoScalingGroups: AccessDenied: no"
    );
}
