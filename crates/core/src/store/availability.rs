//! The availability tally's memory in the fold. Which series are a load balancer's requests and
//! 5xx ([`balancers`]: `RequestCount`, `HTTPCode_Target_5XX_Count` and `HTTPCode_ELB_5XX_Count`,
//! all `Sum`, matched by the `LoadBalancer` dimension), and the sums of their buckets inside the
//! event window that have left the bounded ring ([`Archive`]): "the event so far" stays exact
//! however long the event runs, with the state's memory still bounded. Read by
//! `eval::availability`.

use super::series::{Bucket, SeriesBuf};
use crate::config::Layout;
use crate::config::layout::SeriesSource;

/// A load balancer's request series and its 5xx series, by layout index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balancer {
    /// The `LoadBalancer` dimension value.
    pub name: String,
    pub requests: usize,
    pub errors: Vec<usize>,
}

/// Every load balancer with a `RequestCount` series, with its 5xx series (none when the layout
/// has none). Series with more dimensions than `LoadBalancer` (per target group) are left out,
/// so nothing is counted twice.
pub fn balancers(layout: &Layout) -> Vec<Balancer> {
    let metric = |i: usize| match &layout.series[i].source {
        SeriesSource::Metric(q)
            if q.namespace == "AWS/ApplicationELB" && q.stat.eq_ignore_ascii_case("Sum") =>
        {
            let lb = q
                .dimensions
                .iter()
                .find(|(k, _)| k == "LoadBalancer")
                .map(|(_, v)| v.clone())?;
            (q.dimensions.len() == 1).then(|| (q.metric.clone(), lb))
        }
        _ => None,
    };
    let mut out: Vec<Balancer> = Vec::new();
    for i in 0..layout.series.len() {
        if let Some((m, lb)) = metric(i)
            && m == "RequestCount"
            && !out.iter().any(|b| b.name == lb)
        {
            let errors = (0..layout.series.len())
                .filter(|&j| {
                    metric(j).is_some_and(|(m, l)| {
                        l == lb
                            && (m == "HTTPCode_Target_5XX_Count" || m == "HTTPCode_ELB_5XX_Count")
                    })
                })
                .collect();
            out.push(Balancer {
                name: lb,
                requests: i,
                errors,
            });
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Requests,
    Errors,
}

/// Sums of the availability series' buckets that left the ring, inside the event window.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Per series: requests or 5xx of a counted load balancer (one with 5xx series).
    roles: Vec<Option<Role>>,
    from: i64,
    to: i64,
    /// Requests of known buckets, 5xx of known buckets, known request buckets.
    pub requests: f64,
    pub errors: f64,
    pub known: usize,
}

impl Archive {
    pub fn new(layout: &Layout) -> Self {
        let mut roles = vec![None; layout.series.len()];
        for b in balancers(layout)
            .into_iter()
            .filter(|b| !b.errors.is_empty())
        {
            roles[b.requests] = Some(Role::Requests);
            for e in b.errors {
                roles[e] = Some(Role::Errors);
            }
        }
        Archive {
            roles,
            from: layout.event.start.timestamp(),
            to: layout.event.end.timestamp(),
            requests: 0.0,
            errors: 0.0,
            known: 0,
        }
    }

    /// Before bucket `k` of series `i` is set in `buf`: takes in the buckets the ring is about
    /// to drop to make room for it.
    pub(crate) fn before_set(&mut self, i: usize, buf: &SeriesBuf, k: i64) {
        let Some(role) = self.roles.get(i).copied().flatten() else {
            return;
        };
        let (Some(first), Some(last)) = (buf.first_index(), buf.last_index()) else {
            return;
        };
        if k <= last {
            return;
        }
        let cap = buf.capacity() as i64;
        // A bucket past the end drops the oldest ones (all of them when it is a ring away).
        let kept_from = if k - (last + 1) >= cap {
            last + 1
        } else {
            (k - cap + 1).min(last + 1)
        };
        for j in first..kept_from {
            let t = j * buf.period_secs();
            if t < self.from || t >= self.to {
                continue;
            }
            if let Bucket::Value(v) | Bucket::Provisional(v) = buf.get(j) {
                match role {
                    Role::Requests => {
                        self.requests += v;
                        self.known += 1;
                    }
                    Role::Errors => self.errors += v,
                }
            }
        }
    }
}
