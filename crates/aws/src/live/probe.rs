//! `warroom check --aws`: every metric series of the layout has data in CloudWatch. One
//! `ListMetrics` per namespace and metric name in each account and region (paginated, bounded),
//! matched on the series' dimensions; a series with none is reported, with the nearest
//! dimension values that have data (a `FunctionName = "flash-chekout"` typo shows
//! `flash-checkout` to paste), since `absent = "zero"` would otherwise show a healthy zero.

use std::collections::BTreeMap;

use warroom_core::config::edit_distance;

use super::resolve::{DimensionFix, Outcome, Report, Resolution};
use super::routes::Route;
use crate::config::layout::{Absent, Layout, SeriesSource};

use crate::sources::lookup::{Dims, LookupError, metric_dimensions as list};

/// Account, region, namespace and metric name: what one `ListMetrics` answers for.
type Metric4 = (String, String, String, String);

/// A series looked for: its id, its dimensions, whether it is a counter (`absent = "zero"`).
type Wanted = (String, Dims, bool);

fn sorted(d: &[(String, String)]) -> Dims {
    let mut d = d.to_vec();
    d.sort();
    d
}

/// The dimension set of `have` nearest to `want`: the same names, the fewest characters apart.
fn nearest<'a>(want: &Dims, have: &'a [Dims]) -> Option<&'a Dims> {
    let names = |d: &Dims| d.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    have.iter()
        .filter(|h| names(h) == names(want))
        .min_by_key(|h| {
            h.iter()
                .zip(want)
                .map(|((_, a), (_, b))| edit_distance(a, b))
                .sum::<usize>()
        })
}

/// One series of the layout with no data: why, and what to paste when one value differs.
fn no_data(id: &str, want: &Dims, have: &[Dims]) -> (Outcome, Option<DimensionFix>) {
    let shown = |d: &Dims| {
        d.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let Some(near) = nearest(want, have) else {
        let why = if have.is_empty() {
            "no data in CloudWatch for this metric in the last two weeks".to_string()
        } else {
            format!(
                "no data for {}; the metric has data under other dimensions only",
                shown(want)
            )
        };
        return (Outcome::NoData(why), None);
    };
    let differ: Vec<_> = near.iter().zip(want).filter(|(a, b)| a != b).collect();
    let why = format!(
        "no data for {}; nearest with data: {}",
        shown(want),
        shown(near)
    );
    let fix = match differ.as_slice() {
        [((key, real), (_, layout))] => Some(DimensionFix {
            series: vec![id.to_string()],
            key: key.clone(),
            layout_value: layout.clone(),
            real_value: real.clone(),
        }),
        _ => None,
    };
    (Outcome::NoData(why), fix)
}

/// Checks every metric series of `layout`; adds the ones with no data (and what to paste) to
/// `report`, and counts those checked.
pub(crate) async fn series(layout: &Layout, routes: &[Route], report: &mut Report) {
    let mut groups: BTreeMap<Metric4, Vec<Wanted>> = BTreeMap::new();
    for s in &layout.series {
        if let SeriesSource::Metric(q) = &s.source {
            groups
                .entry((
                    s.account.clone(),
                    s.region.clone(),
                    q.namespace.clone(),
                    q.metric.clone(),
                ))
                .or_default()
                .push((
                    s.id.clone(),
                    sorted(&q.dimensions),
                    s.absent == Absent::Zero,
                ));
        }
    }
    for ((account, region, namespace, metric), members) in groups {
        let client = super::resolve::clients_for(routes, &account)
            .ok_or_else(|| LookupError::Failed(format!("no credentials for account {account}")))
            .and_then(|c| {
                c.region(&region)
                    .map(|rc| rc.cloudwatch.clone())
                    .ok_or_else(|| LookupError::Failed(format!("no client for {region}")))
            });
        let listed = match &client {
            Ok(c) => list(c, &namespace, Some(&metric), &[]).await,
            Err(e) => Err(e.clone()),
        };
        for (id, want, counter) in members {
            report.series_checked += 1;
            let (outcome, fix) = match &listed {
                Ok(have) if have.contains(&want) => continue,
                // A counter CloudWatch reports only when nonzero (rejected connections) is not
                // listed until it has been: its resource is, under other metrics.
                Ok(have)
                    if counter
                        && resource_listed(client.as_ref().ok(), &namespace, &want).await =>
                {
                    report.never_nonzero.push(id);
                    continue;
                }
                Ok(have) => no_data(&id, &want, have),
                Err(LookupError::AccessDenied(d)) => (Outcome::AccessDenied(d.clone()), None),
                Err(LookupError::Failed(d)) => (Outcome::Failed(d.clone()), None),
            };
            // The load balancer's lookup already gave this value to paste: said once.
            if let Some(f) = &fix
                && let Some(known) = report.fixes.iter_mut().find(|k| {
                    (&k.key, &k.layout_value, &k.real_value)
                        == (&f.key, &f.layout_value, &f.real_value)
                })
            {
                if !known.series.contains(&id) {
                    known.series.push(id);
                }
                continue;
            }
            report.items.push(Resolution {
                kind: "series",
                name: id,
                region: region.clone(),
                outcome,
            });
            report.fixes.extend(fix);
        }
    }
}

/// Whether any metric of `namespace` has data under exactly the dimensions `want`.
async fn resource_listed(
    client: Option<&aws_sdk_cloudwatch::Client>,
    namespace: &str,
    want: &Dims,
) -> bool {
    let Some(c) = client else {
        return false;
    };
    list(c, namespace, None, want)
        .await
        .is_ok_and(|sets| sets.contains(want))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(pairs: &[(&str, &str)]) -> Dims {
        sorted(
            &pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn a_typo_in_a_dimension_value_is_shown_the_value_with_data() {
        let have = [
            d(&[("FunctionName", "flash-checkout")]),
            d(&[("FunctionName", "flash-worker")]),
            d(&[("FunctionName", "flash-checkout"), ("Resource", "x")]),
        ];
        let (o, fix) = no_data(
            "api.checkout_errors",
            &d(&[("FunctionName", "flash-chekout")]),
            &have,
        );
        assert_eq!(
            o,
            Outcome::NoData(
                "no data for FunctionName=flash-chekout; nearest with data: \
                 FunctionName=flash-checkout"
                    .into()
            )
        );
        let fix = fix.expect("a value to paste");
        assert_eq!(
            (
                fix.key.as_str(),
                fix.real_value.as_str(),
                fix.layout_value.as_str()
            ),
            ("FunctionName", "flash-checkout", "flash-chekout")
        );
        // Nothing under these names at all: said so, nothing to paste.
        let (o, fix) = no_data("x", &d(&[("TableName", "orders")]), &have);
        assert!(matches!(o, Outcome::NoData(w) if w.contains("other dimensions only")));
        assert!(fix.is_none());
        let (o, _) = no_data("x", &d(&[("TableName", "orders")]), &[]);
        assert!(matches!(o, Outcome::NoData(w) if w.contains("last two weeks")));
    }
}
