//! The simulator endpoint answering GetMetricData for every metric series of the reference
//! layout, region by region (one call each, as the pollers make it), measured server-side:
//! request decoding, the world's answer and CBOR encoding, without the network.

use chrono::TimeDelta;
use ciborium::Value;
use criterion::{Criterion, criterion_group, criterion_main};
use warroom_core::clock::Clock;
use warroom_core::metric_window;
use warroom_sim::Scenario;
use warroom_sim::serve::{Faults, InProcess, ServeOptions};

fn t(s: &str) -> Value {
    Value::Text(s.into())
}

fn request(plan: &metric_window::RegionQueries, start: i64, end: i64) -> Vec<u8> {
    let queries = plan
        .queries
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let dims = q
                .dimensions
                .iter()
                .map(|(k, v)| Value::Map(vec![(t("Name"), t(k)), (t("Value"), t(v))]))
                .collect();
            let metric = Value::Map(vec![
                (t("Namespace"), t(&q.namespace)),
                (t("MetricName"), t(&q.metric)),
                (t("Dimensions"), Value::Array(dims)),
            ]);
            let metric_stat = Value::Map(vec![
                (t("Metric"), metric),
                (t("Period"), Value::Integer(i64::from(q.period).into())),
                (t("Stat"), t(&q.stat)),
            ]);
            Value::Map(vec![
                (t("Id"), t(&metric_window::RegionQueries::query_id(i))),
                (t("MetricStat"), metric_stat),
                (t("ReturnData"), Value::Bool(true)),
            ])
        })
        .collect();
    let v = Value::Map(vec![
        (t("MetricDataQueries"), Value::Array(queries)),
        (
            t("StartTime"),
            Value::Tag(1, Box::new(Value::Integer(start.into()))),
        ),
        (
            t("EndTime"),
            Value::Tag(1, Box::new(Value::Integer(end.into()))),
        ),
    ]);
    let mut out = vec![];
    ciborium::ser::into_writer(&v, &mut out).expect("encodes");
    out
}

fn bench(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts/hybrid-bts.toml");
    let layout = warroom_core::config::load(&path).expect("reference layout");
    let now = layout.event.start + TimeDelta::seconds(10 * 60 + 20);
    let opts = ServeOptions {
        scenario: Scenario::ArmyDrop,
        seed: 42,
        clock: Clock::starting_at(now),
        faults: Faults::default(),
        addr: "127.0.0.1:0".parse().expect("addr"),
    };
    let plans = metric_window::plan(&layout);
    let reqs: Vec<(String, Vec<u8>)> = plans
        .values()
        .map(|p| {
            let (s, e) = metric_window::window(now, p.period);
            (p.region.clone(), request(p, s.timestamp(), e.timestamp()))
        })
        .collect();
    let n: usize = plans.values().map(|p| p.queries.len()).sum();
    let call = |ep: &InProcess, region: &str, body: &[u8]| {
        let auth = format!(
            "AWS4-HMAC-SHA256 Credential=AKID/20260613/{region}/monitoring/aws4_request, SignedHeaders=host, Signature=0"
        );
        let (status, out) = ep.call(
            "/service/GraniteServiceVersion20100801/operation/GetMetricData",
            &[("authorization", &auth), ("smithy-protocol", "rpc-v2-cbor")],
            body,
        );
        assert_eq!(status, 200);
        out.len()
    };
    // A warm endpoint (the world memoises minutes, as a long-running endpoint does) ...
    let warm = InProcess::new(&layout, &opts);
    c.bench_function(
        &format!(
            "GetMetricData, reference layout: {} regions, {n} queries, warm",
            reqs.len()
        ),
        |b| {
            b.iter(|| {
                reqs.iter()
                    .map(|(r, body)| call(&warm, r, body))
                    .sum::<usize>()
            });
        },
    );
    // ... and a cold one, every minute computed for the first time.
    c.bench_function(
        &format!(
            "GetMetricData, reference layout: {} regions, {n} queries, cold",
            reqs.len()
        ),
        |b| {
            b.iter_batched(
                || InProcess::new(&layout, &opts),
                |ep| {
                    reqs.iter()
                        .map(|(r, body)| call(&ep, r, body))
                        .sum::<usize>()
                },
                criterion::BatchSize::SmallInput,
            );
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
