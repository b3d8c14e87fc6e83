//! Logs poller: the Insights query text and result parsing without mocks; the calls (newest
//! first, empty first page, query polled until Complete, bounded polling) with mocks.

use aws_sdk_cloudwatchlogs::operation::filter_log_events::FilterLogEventsOutput;
use aws_sdk_cloudwatchlogs::operation::get_query_results::GetQueryResultsOutput;
use aws_sdk_cloudwatchlogs::operation::start_query::StartQueryOutput;
use aws_sdk_cloudwatchlogs::types::FilteredLogEvent;
use aws_smithy_mocks::{RuleMode, mock, mock_client};

use super::*;
use warroom_core::testing::at;

fn field(name: &str, value: &str) -> ResultField {
    ResultField::builder().field(name).value(value).build()
}

fn row(minute: &str, n: &str) -> Vec<ResultField> {
    vec![field("minute", minute), field("errors", n)]
}

#[test]
fn or_terms_become_one_regex_and_and_terms_each_a_like() {
    assert_eq!(
        insights_query("?ERROR ?error ?Fatal ?timeout").as_deref(),
        Some(
            "filter @message like /ERROR|error|Fatal|timeout/ | \
             stats count(*) as errors by bin(1m) as minute | sort minute asc"
        )
    );
    assert_eq!(
        insights_query(r#"ERROR "a/b" -healthcheck"#).as_deref(),
        Some(
            r"filter @message like /ERROR/ and @message like /a\/b/ and @message not like /healthcheck/ | stats count(*) as errors by bin(1m) as minute | sort minute asc"
        )
    );
    assert_eq!(insights_query(r#"{ $.level = "error" }"#), None);
    assert!(insights_query("").is_some_and(|q| q.starts_with("stats")));
}

#[tokio::test(start_paused = true)]
async fn names_go_in_name_parameters_and_arns_in_identifiers() {
    const ARN: &str = "arn:aws:logs:ap-northeast-2:111122223333:log-group:/bts/app";
    let by_name = mock!(Client::filter_log_events)
        .match_requests(|r| {
            r.log_group_name() == Some("/bts/app") && r.log_group_identifier().is_none()
        })
        .then_output(|| FilterLogEventsOutput::builder().build());
    let by_arn = mock!(Client::filter_log_events)
        .match_requests(|r| r.log_group_identifier() == Some(ARN) && r.log_group_name().is_none())
        .then_output(|| FilterLogEventsOutput::builder().build());
    let query_by_name = mock!(Client::start_query)
        .match_requests(|r| {
            r.log_group_names() == ["/bts/app"] && r.log_group_identifiers().is_empty()
        })
        .then_output(|| StartQueryOutput::builder().query_id("q1").build());
    let results = mock!(Client::get_query_results).then_output(|| {
        GetQueryResultsOutput::builder()
            .status(QueryStatus::Complete)
            .build()
    });
    let client = mock_client!(
        aws_sdk_cloudwatchlogs,
        RuleMode::Sequential,
        [&by_name, &by_arn, &query_by_name, &results]
    );
    let now = at("2026-06-13T11:05:00Z");
    recent_lines(&client, "/bts/app", "ERROR", now)
        .await
        .expect("by name");
    recent_lines(&client, ARN, "ERROR", now)
        .await
        .expect("by ARN");
    let counts = error_counts(&client, "/bts/app", "ERROR", now)
        .await
        .expect("query by name");
    assert!(counts.is_empty());
    assert_eq!(
        (
            by_name.num_calls(),
            by_arn.num_calls(),
            query_by_name.num_calls()
        ),
        (1, 1, 1)
    );
}

#[test]
fn counts_are_parsed_and_sorted() {
    let c = parse_counts(&[
        row("2026-06-13 11:04:00.000", "7"),
        row("2026-06-13 11:03:00.000", "2"),
        row("garbage", "1"),
    ]);
    assert_eq!(
        c,
        [
            LogCount {
                ts: at("2026-06-13T11:03:00Z"),
                count: 2
            },
            LogCount {
                ts: at("2026-06-13T11:04:00Z"),
                count: 7
            },
        ]
    );
}

fn event(ms: i64, msg: &str) -> FilteredLogEvent {
    FilteredLogEvent::builder()
        .timestamp(ms)
        .log_stream_name("i-1")
        .message(msg)
        .build()
}

#[tokio::test(start_paused = true)]
async fn lines_newest_first_and_counts_after_polling() {
    let now = at("2026-06-13T11:05:00Z");
    let ms = now.timestamp_millis();
    let empty = mock!(Client::filter_log_events)
        .match_requests(|r| {
            r.start_from_head() == Some(false)
                && r.limit() == Some(LINES)
                && r.filter_pattern() == Some("?ERROR ?Fatal")
                && r.next_token().is_none()
        })
        .then_output(|| FilterLogEventsOutput::builder().next_token("t").build());
    let lines = mock!(Client::filter_log_events)
        .match_requests(|r| r.next_token() == Some("t"))
        .then_output(move || {
            FilterLogEventsOutput::builder()
                .events(event(ms - 1_000, "ERROR newest"))
                .events(event(ms - 5_000, "Fatal older"))
                .next_token("more")
                .build()
        });
    let start = mock!(Client::start_query)
        .match_requests(move |r| {
            r.start_time() == Some(now.timestamp() - 900)
                && r.query_string().is_some_and(|q| q.contains("bin(1m)"))
        })
        .then_output(|| StartQueryOutput::builder().query_id("q1").build());
    let running = mock!(Client::get_query_results).then_output(|| {
        GetQueryResultsOutput::builder()
            .status(QueryStatus::Running)
            .build()
    });
    let done = mock!(Client::get_query_results)
        .match_requests(|r| r.query_id() == Some("q1"))
        .then_output(|| {
            GetQueryResultsOutput::builder()
                .status(QueryStatus::Complete)
                .results(row("2026-06-13 11:04:00.000", "3"))
                .build()
        });
    let client = mock_client!(
        aws_sdk_cloudwatchlogs,
        RuleMode::Sequential,
        [&empty, &lines, &start, &running, &done]
    );
    let b = poll(&client, "seoul.httpd", "/g", "?ERROR ?Fatal", now)
        .await
        .expect("batch");
    assert_eq!(b.group, "seoul.httpd");
    let msgs: Vec<&str> = b.lines.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(msgs, ["ERROR newest", "Fatal older"]);
    assert_eq!(b.lines[0].stream.as_deref(), Some("i-1"));
    assert_eq!(b.lines[0].ts, at("2026-06-13T11:04:59Z"));
    assert_eq!(
        b.counts,
        [LogCount {
            ts: at("2026-06-13T11:04:00Z"),
            count: 3
        }]
    );
    assert_eq!(running.num_calls() + done.num_calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_query_that_never_completes_gives_up() {
    let start = mock!(Client::start_query)
        .then_output(|| StartQueryOutput::builder().query_id("q").build());
    let running = mock!(Client::get_query_results).then_output(|| {
        GetQueryResultsOutput::builder()
            .status(QueryStatus::Running)
            .build()
    });
    let client = mock_client!(
        aws_sdk_cloudwatchlogs,
        RuleMode::MatchAny,
        [&start, &running]
    );
    let err = error_counts(&client, "/g", "?ERROR", at("2026-06-13T11:05:00Z"))
        .await
        .expect_err("bounded");
    assert_eq!(running.num_calls(), MAX_RESULT_POLLS);
    assert_eq!(err.state(), SourceState::Slow);
    let failed = mock!(Client::get_query_results).then_output(|| {
        GetQueryResultsOutput::builder()
            .status(QueryStatus::Failed)
            .build()
    });
    let start = mock!(Client::start_query)
        .then_output(|| StartQueryOutput::builder().query_id("q").build());
    let client = mock_client!(
        aws_sdk_cloudwatchlogs,
        RuleMode::Sequential,
        [&start, &failed]
    );
    let err = error_counts(&client, "/g", "?ERROR", at("2026-06-13T11:05:00Z"))
        .await
        .expect_err("failed");
    assert_eq!(err.state(), SourceState::Error);
    assert!(err.to_string().contains("Failed"), "{err}");
}
