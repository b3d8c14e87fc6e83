//! The leadership summary's SNS sink against moto_server, an independent emulator: what the
//! sink publishes arrives on the topic (read back through an SQS subscription) with the subject
//! and body of the SNS rendering, and a topic that does not exist is a delivery error, not a
//! silent success. See docs/testing.md for how the emulator is found or started.

use crate::support::emulators;

use emulators::{Emulator, moto, run_id};
use warroom_aws::delivery::sink::SnsSink;
use warroom_core::model::Summary;
use warroom_core::summary::render::sns::message;

const REGION: &str = "ap-northeast-2";

fn summary() -> Summary {
    serde_json::from_str(include_str!("../snapshots/summary_shared_db_2030.json"))
        .expect("snapshot summary")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulators: scripts/test.sh runs it"]
async fn a_summary_published_to_sns_arrives_with_its_subject_and_body() {
    let url = emulators::url(Emulator::Moto);
    let inbox = moto::sns_topic(&url, REGION, &format!("emu-{}-summaries", run_id()));
    let client = aws_sdk_sns::Client::new(&emulators::sdk_config(&url, REGION));
    let sink = SnsSink::new("sns:test".into(), client.clone(), inbox.topic_arn.clone());
    let s = summary();
    let detail = sink.send(&s).await.expect("published");
    assert!(detail.starts_with("message id "), "{detail}");

    let want = message(&s);
    assert!(want.subject.len() < 100 && want.subject.is_ascii());
    let got = moto::sns_messages(&url, REGION, &inbox);
    assert_eq!(got, vec![(Some(want.subject.clone()), want.body.clone())]);
    assert!(want.body.contains(s.title_line()), "{}", want.body);

    let missing = SnsSink::new(
        "sns:missing".into(),
        client,
        inbox.topic_arn.replace("summaries", "nowhere"),
    );
    let err = missing.send(&s).await.expect_err("no such topic");
    assert!(err.detail.contains("SNS Publish"), "{err:?}");
}
