//! WAF poller with aws-smithy-mocks: lookup across `NextMarker` pages, samples of two rules
//! merged, scope passed through, throttling classified.

use aws_sdk_wafv2::operation::get_sampled_requests::GetSampledRequestsOutput;
use aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput;
use aws_sdk_wafv2::types::{HttpHeader, HttpRequest, WebAclSummary};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;

use super::*;
use warroom_core::testing::at;

const ARN: &str = "arn:aws:wafv2:ap-northeast-2:1:regional/webacl/BTS-WebACL-Seoul-ALB/abc";

fn acl(name: &str, arn: &str) -> WebAclSummary {
    WebAclSummary::builder().name(name).arn(arn).build()
}

fn sampled(ip: &str, action: &str, inner: Option<&str>) -> SampledHttpRequest {
    let req = HttpRequest::builder()
        .client_ip(ip)
        .country("KR")
        .method("POST")
        .uri("/checkout?id=1")
        .headers(
            HttpHeader::builder()
                .name("User-Agent")
                .value("curl/8")
                .build(),
        )
        .build();
    let mut b = SampledHttpRequest::builder()
        .request(req)
        .weight(3)
        .timestamp(to_aws(at("2026-06-13T11:04:10Z")))
        .action(action);
    if let Some(i) = inner {
        b = b.rule_name_within_rule_group(i);
    }
    b.build()
}

#[tokio::test]
async fn finds_acl_on_second_page_with_scope() {
    let p1 = mock!(Client::list_web_acls)
        .match_requests(|r| r.next_marker().is_none() && r.scope() == Some(&Scope::Regional))
        .then_output(|| {
            ListWebAcLsOutput::builder()
                .web_acls(acl("other", "arn:other"))
                .next_marker("m2")
                .build()
        });
    let p2 = mock!(Client::list_web_acls)
        .match_requests(|r| r.next_marker() == Some("m2"))
        .then_output(|| {
            ListWebAcLsOutput::builder()
                .web_acls(acl("BTS-WebACL-Seoul-ALB", ARN))
                .next_marker("m3")
                .build()
        });
    let client = mock_client!(aws_sdk_wafv2, RuleMode::Sequential, [&p1, &p2]);
    let arn = find_web_acl(&client, "BTS-WebACL-Seoul-ALB", WafScope::Regional)
        .await
        .expect("found");
    assert_eq!(arn, ARN);
}

#[tokio::test]
async fn missing_acl_stops_at_last_page() {
    let p = mock!(Client::list_web_acls)
        .match_requests(|r| r.scope() == Some(&Scope::Cloudfront))
        .then_output(|| {
            ListWebAcLsOutput::builder()
                .web_acls(acl("x", "arn:x"))
                .build()
        });
    let client = mock_client!(aws_sdk_wafv2, [&p]);
    let err = find_web_acl(&client, "BTS-CloudFront-WebACL", WafScope::Cloudfront)
        .await
        .expect_err("missing");
    assert!(matches!(err, WafError::NotFound { .. }));
    assert_eq!(p.num_calls(), 1);
}

#[tokio::test]
async fn samples_of_each_rule_are_merged() {
    let (start, end) = (at("2026-06-13T11:04:00Z"), at("2026-06-13T11:05:00Z"));
    let rate = mock!(Client::get_sampled_requests)
        .match_requests(move |r| {
            r.rule_metric_name() == Some("BTS-RateLimit-PerIP")
                && r.max_items() == Some(MAX_ITEMS)
                && r.web_acl_arn() == Some(ARN)
                && r.time_window().map(TimeWindow::start_time) == Some(&to_aws(start))
        })
        .then_output(|| {
            GetSampledRequestsOutput::builder()
                .sampled_requests(sampled("203.0.113.7", "BLOCK", None))
                .population_size(5000)
                .build()
        });
    let sqli = mock!(Client::get_sampled_requests)
        .match_requests(|r| r.rule_metric_name() == Some("BTS-SQLiRuleSet"))
        .then_output(|| {
            GetSampledRequestsOutput::builder()
                .sampled_requests(sampled("198.51.100.2", "BLOCK", Some("SQLi_BODY")))
                .population_size(12)
                .build()
        });
    let client = mock_client!(aws_sdk_wafv2, RuleMode::Sequential, [&rate, &sqli]);
    let rules = vec![
        "BTS-RateLimit-PerIP".to_string(),
        "BTS-SQLiRuleSet".to_string(),
    ];
    let b = sample(
        &client,
        "seoul.waf",
        ARN,
        WafScope::Regional,
        &rules,
        start,
        end,
    )
    .await
    .expect("sampled");
    assert_eq!(b.acl, "seoul.waf");
    assert_eq!(b.population, 5012);
    assert_eq!((b.start, b.end), (start, end));
    assert_eq!(b.requests.len(), 2);
    let r = &b.requests[0];
    assert_eq!(r.client_ip, "203.0.113.7");
    assert_eq!(r.country.as_deref(), Some("KR"));
    assert_eq!(
        (r.method.as_str(), r.uri.as_str()),
        ("POST", "/checkout?id=1")
    );
    assert_eq!(r.rule.as_deref(), Some("BTS-RateLimit-PerIP"));
    assert_eq!(r.action, "BLOCK");
    assert_eq!(r.weight, 3);
    assert_eq!(r.ts, at("2026-06-13T11:04:10Z"));
    assert_eq!(
        r.headers,
        [("User-Agent".to_string(), "curl/8".to_string())]
    );
    assert_eq!(
        b.requests[1].rule.as_deref(),
        Some("BTS-SQLiRuleSet/SQLi_BODY")
    );
}

#[tokio::test]
async fn waf_throttling_is_classified() {
    let rule = mock!(Client::get_sampled_requests).then_http_response(|| {
        HttpResponse::new(
            StatusCode::try_from(400).expect("status"),
            SdkBody::from(r#"{"__type":"WAFLimitsExceededException","message":"x"}"#),
        )
    });
    let rule429 = mock!(Client::get_sampled_requests).then_http_response(|| {
        HttpResponse::new(StatusCode::try_from(429).expect("status"), SdkBody::empty())
    });
    let client = mock_client!(
        aws_sdk_wafv2,
        RuleMode::Sequential,
        [&rule, &rule429],
        |c| c.retry_config(RetryConfig::disabled())
    );
    let rules = vec!["r".to_string()];
    let (s, e) = (at("2026-06-13T11:04:00Z"), at("2026-06-13T11:05:00Z"));
    let err = sample(&client, "a", ARN, WafScope::Regional, &rules, s, e)
        .await
        .expect_err("limits");
    assert_eq!(err.state(), SourceState::Error, "{err}");
    let err = sample(&client, "a", ARN, WafScope::Regional, &rules, s, e)
        .await
        .expect_err("429");
    assert_eq!(err.state(), SourceState::Throttled, "{err}");
}
