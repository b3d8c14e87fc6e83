//! The SNS sink: publishes the SNS rendering (subject under 100 ASCII characters, the plain text
//! as the message) to a topic. It takes an `aws_sdk_sns::Client`, so tests and emulators can
//! point it anywhere; throttling and other errors are retried by the delivery task.

use aws_smithy_types::error::display::DisplayErrorContext;

use super::SendError;
use crate::model::Summary;
use crate::summary::render::sns::message;

pub struct SnsSink {
    pub(crate) name: String,
    client: aws_sdk_sns::Client,
    topic_arn: String,
}

impl SnsSink {
    pub fn new(name: String, client: aws_sdk_sns::Client, topic_arn: String) -> Self {
        SnsSink {
            name,
            client,
            topic_arn,
        }
    }

    pub async fn send(&self, s: &Summary) -> Result<String, SendError> {
        let m = message(s);
        let out = self
            .client
            .publish()
            .topic_arn(&self.topic_arn)
            .subject(m.subject)
            .message(m.body)
            .send()
            .await
            .map_err(|e| SendError::new(format!("SNS Publish: {}", DisplayErrorContext(&e))))?;
        Ok(format!(
            "message id {}",
            out.message_id().unwrap_or("(none)")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sns::operation::publish::{PublishError, PublishOutput};
    use aws_smithy_mocks::{mock, mock_client};

    fn summary() -> Summary {
        let json = include_str!("../../../../../tests/snapshots/summary_shared_db_2030.json");
        serde_json::from_str(json).expect("snapshot summary")
    }

    #[tokio::test]
    async fn publishes_subject_and_text_to_the_topic() {
        let arn = "arn:aws:sns:ap-northeast-2:489851543453:warroom";
        let ok = mock!(aws_sdk_sns::Client::publish)
            .match_requests(move |r| {
                r.topic_arn() == Some(arn)
                    && r.subject()
                        .is_some_and(|s| s.len() < 100 && !s.contains('\n'))
                    && r.message().is_some_and(|m| m.contains("INC-1 [critical]"))
            })
            .then_output(|| PublishOutput::builder().message_id("m-1").build());
        let client = mock_client!(aws_sdk_sns, [&ok]);
        let sink = SnsSink::new("sns:t".into(), client, arn.into());
        assert_eq!(sink.send(&summary()).await, Ok("message id m-1".into()));
        assert_eq!(ok.num_calls(), 1);
    }

    #[tokio::test]
    async fn a_throttled_publish_is_a_failure_with_the_reason() {
        let throttled = mock!(aws_sdk_sns::Client::publish).then_error(|| {
            PublishError::generic(
                aws_smithy_types::error::ErrorMetadata::builder()
                    .code("Throttling")
                    .message("Rate exceeded")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_sns, [&throttled]);
        let sink = SnsSink::new("sns:t".into(), client, "arn:aws:sns:us-east-1:1:t".into());
        let e = sink.send(&summary()).await.expect_err("throttled");
        assert!(e.detail.contains("Throttling"), "{}", e.detail);
    }
}
