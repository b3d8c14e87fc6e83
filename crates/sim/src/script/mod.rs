//! The scenario script: every scripted quantity of the world as curves and steps over time from
//! T0, for the reference flash sale and its variants. The world (`world`) adds noise, routing,
//! WAF accounting and sampling on top; nothing here is random except launch spacing.

mod fleets;
mod variants;

use crate::model::GaHealth;

use super::curve::{Curve, Steps};
use super::fleet::Fleet;
use super::scenario::Scenario;

/// How the peak plays out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Peak {
    /// Seoul holds (degraded, never collapses): no failover.
    Calm,
    /// The reference: php-fpm saturation in AZ c, Seoul collapse, GA failover and flapping.
    Collapse,
    /// Root cause in the shared Seoul RDS: both regions fail until the DB recovers at ~T+40m.
    SharedDb,
    /// Both endpoint groups unhealthy: GA fails open.
    FailOpen,
}

/// Everything scripted for one scenario.
pub(crate) struct Script {
    pub(crate) peak: Peak,
    /// Legitimate traffic as a multiple of the 2,000 req/min baseline.
    pub(crate) traffic: Curve,
    /// Bot requests per minute (all regions), and the share the rate rule blocks.
    pub(crate) bots: Curve,
    pub(crate) bot_block: f64,
    /// SQLi probes per minute (blocked by the SQLi rule set).
    pub(crate) sqli: Curve,
    /// Fraction of Seoul legitimate traffic the rate rule blocks (buyers behind carrier NAT).
    pub(crate) false_positive: Curve,
    pub(crate) seoul_cpu: Curve,
    pub(crate) seoul_credits: Curve,
    pub(crate) seoul_p99: Curve,
    pub(crate) seoul_t5xx: Curve,
    pub(crate) seoul_e5xx: Curve,
    pub(crate) virginia_cpu: Curve,
    pub(crate) virginia_p99: Curve,
    pub(crate) virginia_t5xx: Curve,
    pub(crate) virginia_e5xx: Curve,
    pub(crate) db_cpu: Curve,
    pub(crate) db_conn: Curve,
    pub(crate) replica_lag: Curve,
    pub(crate) redis_cpu: Curve,
    pub(crate) redis_mem: Curve,
    pub(crate) cf_5xx: Curve,
    pub(crate) edge_blocked: Curve,
    pub(crate) ga_seoul: Steps<GaHealth>,
    pub(crate) ga_virginia: Steps<GaHealth>,
    pub(crate) dial_seoul: Steps<f64>,
    pub(crate) asg_desired: Steps<f64>,
    pub(crate) asg_max: Steps<f64>,
    pub(crate) seoul: Fleet,
    pub(crate) virginia: Fleet,
    /// The RDS Multi-AZ failover window (DB errors), seconds from T0.
    pub(crate) rds_failover: Option<(i64, i64)>,
    /// CloudWatch returns nothing in this window, seconds from T0.
    pub(crate) metrics_outage: Option<(i64, i64)>,
    /// Scripted operator actions: (seconds from T0, annotation).
    pub(crate) operator: Vec<(i64, String)>,
}

pub(crate) const NEVER: f64 = -1.0e9;
pub(crate) const EVER: f64 = 1.0e9;
pub(crate) const H: GaHealth = GaHealth::Healthy;
pub(crate) const U: GaHealth = GaHealth::Unhealthy;

pub(crate) fn c(points: &[(f64, f64)]) -> Curve {
    Curve::new(points)
}

impl Script {
    // Keyframe tables read best one curve per line.
    #[rustfmt::skip]
    #[allow(clippy::too_many_lines)]
    pub(crate) fn new(scenario: Scenario, seed: u64) -> Self {
        let peak = match scenario {
            Scenario::ArmyDrop | Scenario::StaleData => Peak::Collapse,
            Scenario::SharedDb => Peak::SharedDb,
            Scenario::GaFailOpen => Peak::FailOpen,
            Scenario::WafFalsePositive | Scenario::RdsMultiAzFailover | Scenario::AlarmLatency => {
                Peak::Calm
            }
        };
        let fp = scenario == Scenario::WafFalsePositive;
        let mut s = Script {
            peak,
            traffic: c(&[(NEVER, 1.0), (-10.0, 1.0), (-0.2, 3.0), (0.3, 10.0), (15.0, 10.0), (40.0, 3.0), (90.0, 1.5), (150.0, 1.05), (180.0, 1.0), (EVER, 1.0)]),
            bots: if fp {
                c(&[(NEVER, 0.0)])
            } else {
                c(&[(NEVER, 0.0), (1.9, 0.0), (2.4, 15_000.0), (29.8, 15_000.0), (30.3, 1_000.0), (40.0, 330.0), (55.0, 60.0), (75.0, 0.0)])
            },
            bot_block: 0.8,
            sqli: if fp {
                c(&[(NEVER, 0.3)])
            } else {
                c(&[(NEVER, 0.3), (1.9, 0.3), (2.1, 30.0), (29.9, 30.0), (30.1, 0.3)])
            },
            false_positive: if fp {
                c(&[(NEVER, 0.0), (0.5, 0.0), (1.5, 0.22), (14.0, 0.25), (14.3, 0.0)])
            } else {
                // A few buyers behind carrier NAT exceed the limit at the peak too.
                c(&[(NEVER, 0.0), (0.5, 0.0), (1.0, 0.01), (29.8, 0.01), (30.3, 0.0)])
            },
            seoul_cpu: c(&[(NEVER, 20.0), (-30.0, 20.0), (-26.0, 9.0), (-10.0, 9.0), (0.0, 35.0), (1.0, 85.0), (2.5, 90.0), (4.5, 80.0), (20.0, 72.0), (35.0, 68.0), (50.0, 63.0), (54.0, 56.0), (58.0, 50.0), (80.0, 40.0), (120.0, 30.0), (121.0, 28.0), (180.0, 21.0), (EVER, 20.0)]),
            seoul_credits: c(&[(NEVER, 144.0), (-30.0, 144.0), (-28.0, 30.0), (0.0, 27.0), (4.0, 22.0), (20.0, 12.0), (60.0, 14.0), (120.0, 16.0), (120.5, 100.0), (600.0, 144.0)]),
            seoul_p99: c(&[(NEVER, 0.29), (-30.0, 0.29), (-26.0, 0.27), (-10.0, 0.27), (0.0, 0.45), (0.5, 1.2), (4.0, 1.0), (15.0, 0.8), (30.0, 0.6), (45.0, 0.5), (60.0, 0.45), (79.5, 0.44), (80.2, 0.30), (EVER, 0.29)]),
            seoul_t5xx: c(&[(NEVER, 0.08), (0.0, 0.1), (2.0, 0.15), (20.0, 0.15), (30.0, 0.1), (EVER, 0.08)]),
            seoul_e5xx: c(&[(NEVER, 0.02)]),
            virginia_cpu: c(&[(NEVER, 15.0), (-10.0, 15.0), (0.0, 30.0), (1.0, 45.0), (20.0, 40.0), (40.0, 25.0), (90.0, 18.0), (120.0, 16.0), (EVER, 15.0)]),
            virginia_p99: c(&[(NEVER, 2.1), (0.0, 2.2), (1.0, 2.45), (20.0, 2.4), (40.0, 2.2), (EVER, 2.1)]),
            virginia_t5xx: c(&[(NEVER, 0.08), (0.0, 0.1), (30.0, 0.1), (EVER, 0.08)]),
            virginia_e5xx: c(&[(NEVER, 0.02)]),
            db_cpu: c(&[(NEVER, 8.0), (-10.0, 8.0), (0.0, 20.0), (1.0, 50.0), (2.5, 58.0), (20.0, 50.0), (30.0, 40.0), (45.0, 30.0), (60.0, 20.0), (90.0, 12.0), (120.0, 9.0), (EVER, 8.0)]),
            db_conn: c(&[(NEVER, 12.0), (-30.0, 12.0), (-26.0, 22.0), (0.0, 28.0), (1.0, 38.0), (4.5, 42.0), (20.0, 40.0), (30.0, 36.0), (45.0, 32.0), (60.0, 28.0), (90.0, 22.0), (120.0, 20.0), (121.0, 13.0), (EVER, 12.0)]),
            replica_lag: c(&[(NEVER, 1.0), (0.0, 2.0), (2.0, 4.0), (9.0, 8.0), (14.0, 9.0), (20.0, 3.0), (30.0, 1.5), (EVER, 1.0)]),
            redis_cpu: c(&[(NEVER, 5.0), (-10.0, 5.0), (0.0, 18.0), (2.0, 32.0), (9.0, 38.0), (20.0, 20.0), (40.0, 12.0), (90.0, 7.0), (EVER, 5.0)]),
            redis_mem: c(&[(NEVER, 30.0), (-10.0, 30.0), (0.0, 40.0), (10.0, 58.0), (20.0, 62.0), (40.0, 55.0), (90.0, 42.0), (180.0, 33.0), (EVER, 30.0)]),
            cf_5xx: c(&[(NEVER, 0.05), (0.0, 0.1), (30.0, 0.06), (EVER, 0.05)]),
            edge_blocked: c(&[(NEVER, 20.0), (1.9, 20.0), (2.4, 260.0), (29.8, 260.0), (30.3, 40.0), (60.0, 20.0)]),
            ga_seoul: Steps::new(H, &[]),
            ga_virginia: Steps::new(H, &[]),
            dial_seoul: Steps::new(100.0, &[]),
            asg_desired: Steps::new(2.0, &[(-1800, 8.0), (60, 10.0), (7200, 2.0)]),
            asg_max: Steps::new(4.0, &[(-1800, 12.0), (7200, 4.0)]),
            seoul: Fleet::default(),
            virginia: Fleet::default(),
            rds_failover: None,
            metrics_outage: None,
            operator: Vec::new(),
        };
        match peak {
            Peak::Calm => {}
            Peak::Collapse => s.collapse(),
            Peak::SharedDb => s.shared_db(),
            Peak::FailOpen => s.fail_open(),
        }
        if fp {
            s.operator.push((14 * 60, "WAF BTS-RateLimit-PerIP limit 300 -> 2000 per IP (RB-10: carrier-NAT buyers blocked)".into()));
        }
        if scenario == Scenario::StaleData {
            s.metrics_outage = Some((5 * 60, 9 * 60));
        }
        if scenario == Scenario::RdsMultiAzFailover {
            s.rds_failover();
        }
        let extra = if scenario == Scenario::AlarmLatency {
            4
        } else {
            2
        };
        if extra == 4 {
            s.asg_desired = Steps::new(2.0, &[(-1800, 8.0), (60, 12.0), (7200, 2.0)]);
        }
        s.build_fleets(seed, extra);
        s
    }
}
