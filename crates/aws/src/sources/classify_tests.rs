//! Every error kind, built through aws-smithy-mocks (modeled errors and raw HTTP responses in
//! each service's own protocol) or constructed directly where the SDK builds them itself.

use aws_credential_types::provider::error::{CredentialsError, TokenError};
use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataError;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::{ConnectorError, SdkError};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::RetryConfig;

use super::*;

fn http(status: u16, body: &'static str) -> HttpResponse {
    HttpResponse::new(
        StatusCode::try_from(status).expect("status"),
        SdkBody::from(body),
    )
}

/// A GA (AWS JSON 1.1) call answered with `status` and `body`, classified.
async fn ga_call(status: u16, body: &'static str) -> CallError {
    use aws_sdk_globalaccelerator::Client;
    let rule = mock!(Client::list_accelerators).then_http_response(move || http(status, body));
    let client = mock_client!(
        aws_sdk_globalaccelerator,
        RuleMode::Sequential,
        [&rule],
        |c| c.retry_config(RetryConfig::disabled())
    );
    let err = client
        .list_accelerators()
        .send()
        .await
        .expect_err("mocked failure");
    CallError::from_sdk("ListAccelerators", &err)
}

fn json_error(code: &str) -> &'static str {
    match code {
        "ThrottlingException" => r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
        "TooManyRequestsException" => r#"{"__type":"TooManyRequestsException","message":"slow"}"#,
        "ExpiredTokenException" => {
            r#"{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}"#
        }
        "UnrecognizedClientException" => {
            r#"{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}"#
        }
        _ => r#"{"__type":"AccessDeniedException","message":"not authorized"}"#,
    }
}

#[tokio::test]
async fn json_throttling_codes_are_throttled() {
    for code in ["ThrottlingException", "TooManyRequestsException"] {
        let e = ga_call(400, json_error(code)).await;
        assert_eq!(e.state, SourceState::Throttled, "{code}: {e}");
        assert!(e.detail.contains(code), "{e}");
    }
}

#[tokio::test]
async fn http_429_without_code_is_throttled() {
    let e = ga_call(429, "").await;
    assert_eq!(e.state, SourceState::Throttled, "{e}");
}

#[tokio::test]
async fn expired_and_invalid_tokens_are_credentials_expired() {
    for code in ["ExpiredTokenException", "UnrecognizedClientException"] {
        let e = ga_call(400, json_error(code)).await;
        assert_eq!(e.state, SourceState::CredentialsExpired, "{code}: {e}");
    }
}

#[tokio::test]
async fn other_service_errors_are_errors() {
    let e = ga_call(400, json_error("AccessDeniedException")).await;
    assert_eq!(e.state, SourceState::Error);
    assert_eq!(e.detail, "AccessDeniedException: not authorized");
    let e = ga_call(500, "oops").await;
    assert_eq!(e.state, SourceState::Error, "{e}");
    let e = ga_call(504, "").await;
    assert_eq!(e.state, SourceState::Slow, "{e}");
}

#[tokio::test]
async fn query_protocol_throttling_and_expired_token() {
    use aws_sdk_elasticloadbalancingv2::Client;
    for (code, want) in [
        ("Throttling", SourceState::Throttled),
        ("ExpiredToken", SourceState::CredentialsExpired),
        ("InvalidClientTokenId", SourceState::CredentialsExpired),
    ] {
        let body = format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
             <Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>"
        );
        let rule = mock!(Client::describe_target_health).then_http_response(move || {
            HttpResponse::new(
                StatusCode::try_from(400).expect("status"),
                SdkBody::from(body.clone()),
            )
        });
        let client = mock_client!(
            aws_sdk_elasticloadbalancingv2,
            RuleMode::Sequential,
            [&rule],
            |c| c.retry_config(RetryConfig::disabled())
        );
        let err = client
            .describe_target_health()
            .target_group_arn("arn")
            .send()
            .await
            .expect_err("mocked failure");
        let e = CallError::from_sdk("DescribeTargetHealth", &err);
        assert_eq!(e.state, want, "{code}: {e}");
    }
}

#[tokio::test]
async fn modeled_cloudwatch_throttling_via_then_error() {
    use aws_sdk_cloudwatch::Client;
    let rule = mock!(Client::get_metric_data).then_error(|| {
        GetMetricDataError::generic(
            ErrorMetadata::builder()
                .code("Throttling")
                .message("Rate exceeded")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&rule], |c| c
        .retry_config(RetryConfig::disabled()));
    let err = client
        .get_metric_data()
        .send()
        .await
        .expect_err("mocked failure");
    let e = CallError::from_sdk("GetMetricData", &err);
    assert_eq!(e.state, SourceState::Throttled);
    assert_eq!(e.to_string(), "GetMetricData: Throttling: Rate exceeded");
}

type Err = SdkError<GetMetricDataError, HttpResponse>;

#[test]
fn timeouts_are_slow() {
    let e: Err = SdkError::timeout_error("operation timed out");
    assert_eq!(classify(&e).0, SourceState::Slow);
    let e: Err = SdkError::dispatch_failure(ConnectorError::timeout("connect".into()));
    assert_eq!(classify(&e).0, SourceState::Slow);
}

#[test]
fn io_failures_are_errors() {
    let e: Err = SdkError::dispatch_failure(ConnectorError::io("connection refused".into()));
    let (state, detail) = classify(&e);
    assert_eq!(state, SourceState::Error);
    assert!(detail.contains("connection refused"), "{detail}");
}

#[test]
fn credential_provider_failures_are_credentials_expired() {
    let provider = CredentialsError::provider_error("the SSO session has expired");
    let e: Err = SdkError::dispatch_failure(ConnectorError::other(Box::new(provider), None));
    assert_eq!(classify(&e).0, SourceState::CredentialsExpired);
    let token = TokenError::provider_error("token refresh failed");
    let e: Err = SdkError::construction_failure(token);
    assert_eq!(classify(&e).0, SourceState::CredentialsExpired);
    let e: Err = SdkError::construction_failure("SSO token is expired; run aws sso login");
    assert_eq!(classify(&e).0, SourceState::CredentialsExpired);
}

#[test]
fn scrub_redacts_key_ids_and_control_chars_and_bounds_length() {
    let s = scrub("bad Credential=AKIAIOSFODNN7EXAMPLE/20260613 \x1b[31mred\n");
    assert!(!s.contains("AKIA"), "{s}");
    assert!(!s.contains('\x1b') && !s.contains('\n'), "{s}");
    assert_eq!(scrub("Rate\u{202e} exceeded\u{200b}"), "Rate exceeded");
    let long = "x".repeat(500);
    assert_eq!(scrub(&long).chars().count(), MAX_DETAIL + 3);
}

#[derive(Debug)]
struct ExpiredSso;

impl aws_credential_types::provider::ProvideCredentials for ExpiredSso {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::ready(Err(
            CredentialsError::provider_error(
                "the SSO session associated with this profile has expired",
            ),
        ))
    }
}

/// Answers every request with HTTP 500: reaching it would mean credentials were not needed.
#[derive(Debug)]
struct Unreachable;

impl aws_smithy_runtime_api::client::http::HttpConnector for Unreachable {
    fn call(
        &self,
        _request: aws_smithy_runtime_api::client::orchestrator::HttpRequest,
    ) -> aws_smithy_runtime_api::client::http::HttpConnectorFuture {
        aws_smithy_runtime_api::client::http::HttpConnectorFuture::ready(Ok(http(500, "")))
    }
}

#[tokio::test]
async fn a_failing_credentials_provider_is_credentials_expired() {
    use aws_smithy_runtime_api::client::http::{SharedHttpConnector, http_client_fn};
    let conf = aws_sdk_globalaccelerator::Config::builder()
        .behavior_version(aws_sdk_globalaccelerator::config::BehaviorVersion::latest())
        .region(aws_sdk_globalaccelerator::config::Region::new("us-west-2"))
        .credentials_provider(ExpiredSso)
        .http_client(http_client_fn(|_, _| SharedHttpConnector::new(Unreachable)))
        .retry_config(RetryConfig::disabled())
        .build();
    let client = aws_sdk_globalaccelerator::Client::from_conf(conf);
    let err = client
        .list_accelerators()
        .send()
        .await
        .expect_err("no credentials");
    let e = CallError::from_sdk("ListAccelerators", &err);
    assert_eq!(e.state, SourceState::CredentialsExpired, "{e}");
    assert!(e.detail.starts_with("credentials: "), "{e}");
    assert!(e.detail.contains("expired"), "{e}");
}
