//! Backfill round trip against ministack, an independent CloudWatch emulator: datapoints seeded
//! with `PutMetricData` two hours ago, over 30 minutes, for Sum, Minimum and p99 series in
//! Seoul and a Sum series in Virginia (same metric and dimensions as Seoul, other values), come
//! back from `warroom_aws::backfill` exactly: per region, series and 1-minute bucket, several
//! datapoints in a bucket summed or minimised, buckets with no datapoint absent, nothing outside
//! the window, a series never published empty. See docs/testing.md for how the emulator is
//! found or started (ignored by plain `cargo test`; `scripts/test.sh` runs it).

use crate::support::emulators;

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use emulators::cloudwatch::{put_points, query};
use emulators::{Emulator, fixture};
use warroom_aws::backfill::{self, clients_of};
use warroom_core::model::EventBody;

type Table = BTreeMap<DateTime<Utc>, f64>;

fn at(t: DateTime<Utc>, s: i64) -> DateTime<Utc> {
    t + TimeDelta::seconds(s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulators: scripts/test.sh runs it"]
async fn backfill_from_ministack_round_trips_seeded_series_exactly() {
    let url = emulators::url(Emulator::Ministack);
    let (layout, _) = fixture::layout("cloudwatch.toml");
    let regions = backfill::regions(&layout);
    let set = emulators::client_set(&url, &regions);
    let now = Utc::now();
    let hour = now.timestamp() - now.timestamp().rem_euclid(3600);
    let from = DateTime::from_timestamp(hour, 0).expect("hour") - TimeDelta::hours(2);
    let to = from + TimeDelta::minutes(30);
    let seoul = &set.region("ap-northeast-2").expect("seoul").cloudwatch;
    let virginia = &set.region("us-east-1").expect("virginia").cloudwatch;

    // Expected per series: bucket -> value, every minute of the window but some.
    let mut want: BTreeMap<&str, Table> = BTreeMap::new();
    let (mut requests, mut hosts, mut p99, mut east) = (vec![], vec![], vec![], vec![]);
    for m in 0..30i64 {
        let b = at(from, 60 * m);
        let v = (m * 7 + 3) as f64;
        // Requests (Sum): two datapoints a bucket.
        requests.push((at(b, 5), v));
        requests.push((at(b, 40), 0.5));
        want.entry("seoul.requests").or_default().insert(b, v + 0.5);
        // Healthy hosts (Minimum): every other minute, two datapoints.
        if m % 2 == 0 {
            hosts.push((at(b, 10), 6.0));
            hosts.push((at(b, 50), (m % 5) as f64));
            want.entry("seoul.healthy_hosts")
                .or_default()
                .insert(b, ((m % 5) as f64).min(6.0));
        }
        // p99 of one datapoint a bucket is that datapoint.
        p99.push((at(b, 1), 0.25 * (m + 1) as f64));
        want.entry("seoul.p99")
            .or_default()
            .insert(b, 0.25 * (m + 1) as f64);
        // Virginia: same metric and dimensions, other values.
        east.push((at(b, 30), 1000.0 + v));
        want.entry("virginia.requests")
            .or_default()
            .insert(b, 1000.0 + v);
    }
    // Just outside the window on both sides: never backfilled.
    requests.push((at(from, -30), 99_999.0));
    requests.push((to, 99_999.0));
    put_points(seoul, query(&layout, "seoul.requests"), &requests).await;
    put_points(seoul, query(&layout, "seoul.healthy_hosts"), &hosts).await;
    put_points(seoul, query(&layout, "seoul.p99"), &p99).await;
    put_points(virginia, query(&layout, "virginia.requests"), &east).await;

    let out = backfill::backfill(&layout, &clients_of(&set), from, to, Utc::now())
        .await
        .expect("backfill");
    let mut got: BTreeMap<String, Table> = BTreeMap::new();
    let mut listed: Vec<String> = Vec::new();
    for e in &out.events {
        if let EventBody::Metrics(b) = &e.body {
            for s in &b.series {
                listed.push(s.id.clone());
                for p in &s.points {
                    let old = got.entry(s.id.clone()).or_default().insert(p.ts, p.v);
                    assert!(
                        old.is_none_or(|o| o.to_bits() == p.v.to_bits()),
                        "{} {}: {old:?} then {}",
                        s.id,
                        p.ts,
                        p.v
                    );
                }
            }
        }
    }
    for (id, table) in &want {
        assert_eq!(got.get(*id), Some(table), "{id}");
    }
    assert!(
        listed.iter().any(|s| s == "seoul.target_5xx"),
        "the unpublished series is listed: {listed:?}"
    );
    assert_eq!(
        got.get("seoul.target_5xx"),
        None,
        "never published: no point"
    );
    assert!(
        !listed.iter().any(|s| s == "seoul.5xx_rate"),
        "math is not sent"
    );
    assert_eq!(got.len(), want.len(), "{:?}", got.keys());
}
