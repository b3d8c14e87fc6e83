//! The scenario script: every scripted quantity of the world as curves and steps over time from
//! T0, for the reference flash sale and its variants. The world (`world`) adds noise, routing,
//! WAF accounting and sampling on top; nothing here is random except launch spacing.

// The script is data: long tables of keyframes read better whole than split into helpers.
#![allow(clippy::too_many_lines)]

use crate::model::GaHealth;

use super::curve::{Curve, Steps};
use super::fleet::{Fleet, Phase};
use super::rng;
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
    pub peak: Peak,
    /// Legitimate traffic as a multiple of the 2,000 req/min baseline.
    pub traffic: Curve,
    /// Bot requests per minute (all regions), and the share the rate rule blocks.
    pub bots: Curve,
    pub bot_block: f64,
    /// SQLi probes per minute (blocked by the SQLi rule set).
    pub sqli: Curve,
    /// Fraction of Seoul legitimate traffic the rate rule blocks (carrier-NAT false positives).
    pub false_positive: Curve,
    pub seoul_cpu: Curve,
    pub seoul_credits: Curve,
    pub seoul_p99: Curve,
    pub seoul_t5xx: Curve,
    pub seoul_e5xx: Curve,
    pub virginia_cpu: Curve,
    pub virginia_p99: Curve,
    pub virginia_t5xx: Curve,
    pub virginia_e5xx: Curve,
    pub db_cpu: Curve,
    pub db_conn: Curve,
    pub replica_lag: Curve,
    pub redis_cpu: Curve,
    pub redis_mem: Curve,
    pub cf_5xx: Curve,
    pub edge_blocked: Curve,
    pub ga_seoul: Steps<GaHealth>,
    pub ga_virginia: Steps<GaHealth>,
    pub dial_seoul: Steps<f64>,
    pub asg_desired: Steps<f64>,
    pub asg_max: Steps<f64>,
    pub seoul: Fleet,
    pub virginia: Fleet,
    /// The RDS Multi-AZ failover window (DB errors), seconds from T0.
    pub rds_failover: Option<(i64, i64)>,
    /// CloudWatch returns nothing in this window, seconds from T0.
    pub metrics_outage: Option<(i64, i64)>,
    /// Scripted operator actions: (seconds from T0, annotation).
    pub operator: Vec<(i64, String)>,
}

const NEVER: f64 = -1.0e9;
const EVER: f64 = 1.0e9;
const H: GaHealth = GaHealth::Healthy;
const U: GaHealth = GaHealth::Unhealthy;

fn c(points: &[(f64, f64)]) -> Curve {
    Curve::new(points)
}

impl Script {
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
            traffic: c(&[
                (NEVER, 1.0),
                (-10.0, 1.0),
                (-0.2, 3.0),
                (0.3, 10.0),
                (15.0, 10.0),
                (40.0, 3.0),
                (90.0, 1.5),
                (150.0, 1.05),
                (180.0, 1.0),
                (EVER, 1.0),
            ]),
            bots: if fp {
                c(&[(NEVER, 0.0)])
            } else {
                c(&[
                    (NEVER, 0.0),
                    (1.9, 0.0),
                    (2.4, 15_000.0),
                    (29.8, 15_000.0),
                    (30.3, 1_000.0),
                    (40.0, 330.0),
                    (55.0, 60.0),
                    (75.0, 0.0),
                ])
            },
            bot_block: 0.8,
            sqli: if fp {
                c(&[(NEVER, 0.3)])
            } else {
                c(&[
                    (NEVER, 0.3),
                    (1.9, 0.3),
                    (2.1, 30.0),
                    (29.9, 30.0),
                    (30.1, 0.3),
                ])
            },
            false_positive: if fp {
                c(&[
                    (NEVER, 0.0),
                    (0.5, 0.0),
                    (1.5, 0.22),
                    (14.0, 0.25),
                    (14.3, 0.0),
                ])
            } else {
                c(&[(NEVER, 0.0)])
            },
            seoul_cpu: c(&[
                (NEVER, 20.0),
                (-30.0, 20.0),
                (-26.0, 9.0),
                (-10.0, 9.0),
                (0.0, 35.0),
                (1.0, 85.0),
                (2.5, 90.0),
                (4.5, 80.0),
                (20.0, 72.0),
                (35.0, 68.0),
                (50.0, 63.0),
                (54.0, 56.0),
                (58.0, 50.0),
                (80.0, 40.0),
                (120.0, 30.0),
                (121.0, 28.0),
                (180.0, 21.0),
                (EVER, 20.0),
            ]),
            seoul_credits: c(&[
                (NEVER, 144.0),
                (-30.0, 144.0),
                (-28.0, 30.0),
                (0.0, 27.0),
                (4.0, 22.0),
                (20.0, 12.0),
                (60.0, 14.0),
                (120.0, 16.0),
                (120.5, 100.0),
                (600.0, 144.0),
            ]),
            seoul_p99: c(&[
                (NEVER, 0.29),
                (-30.0, 0.29),
                (-26.0, 0.27),
                (-10.0, 0.27),
                (0.0, 0.45),
                (0.5, 1.2),
                (4.0, 1.0),
                (15.0, 0.8),
                (30.0, 0.6),
                (45.0, 0.5),
                (60.0, 0.45),
                (79.5, 0.44),
                (80.2, 0.30),
                (EVER, 0.29),
            ]),
            seoul_t5xx: c(&[
                (NEVER, 0.08),
                (0.0, 0.1),
                (2.0, 0.15),
                (20.0, 0.15),
                (30.0, 0.1),
                (EVER, 0.08),
            ]),
            seoul_e5xx: c(&[(NEVER, 0.02)]),
            virginia_cpu: c(&[
                (NEVER, 15.0),
                (-10.0, 15.0),
                (0.0, 30.0),
                (1.0, 45.0),
                (20.0, 40.0),
                (40.0, 25.0),
                (90.0, 18.0),
                (120.0, 16.0),
                (EVER, 15.0),
            ]),
            virginia_p99: c(&[
                (NEVER, 2.1),
                (0.0, 2.2),
                (1.0, 2.45),
                (20.0, 2.4),
                (40.0, 2.2),
                (EVER, 2.1),
            ]),
            virginia_t5xx: c(&[(NEVER, 0.08), (0.0, 0.1), (30.0, 0.1), (EVER, 0.08)]),
            virginia_e5xx: c(&[(NEVER, 0.02)]),
            db_cpu: c(&[
                (NEVER, 8.0),
                (-10.0, 8.0),
                (0.0, 20.0),
                (1.0, 50.0),
                (2.5, 58.0),
                (20.0, 50.0),
                (30.0, 40.0),
                (45.0, 30.0),
                (60.0, 20.0),
                (90.0, 12.0),
                (120.0, 9.0),
                (EVER, 8.0),
            ]),
            db_conn: c(&[
                (NEVER, 12.0),
                (-30.0, 12.0),
                (-26.0, 22.0),
                (0.0, 28.0),
                (1.0, 38.0),
                (4.5, 42.0),
                (20.0, 40.0),
                (30.0, 36.0),
                (45.0, 32.0),
                (60.0, 28.0),
                (90.0, 22.0),
                (120.0, 20.0),
                (121.0, 13.0),
                (EVER, 12.0),
            ]),
            replica_lag: c(&[
                (NEVER, 1.0),
                (0.0, 2.0),
                (2.0, 4.0),
                (9.0, 8.0),
                (14.0, 9.0),
                (20.0, 3.0),
                (30.0, 1.5),
                (EVER, 1.0),
            ]),
            redis_cpu: c(&[
                (NEVER, 5.0),
                (-10.0, 5.0),
                (0.0, 18.0),
                (2.0, 32.0),
                (9.0, 38.0),
                (20.0, 20.0),
                (40.0, 12.0),
                (90.0, 7.0),
                (EVER, 5.0),
            ]),
            redis_mem: c(&[
                (NEVER, 30.0),
                (-10.0, 30.0),
                (0.0, 40.0),
                (10.0, 58.0),
                (20.0, 62.0),
                (40.0, 55.0),
                (90.0, 42.0),
                (180.0, 33.0),
                (EVER, 30.0),
            ]),
            cf_5xx: c(&[(NEVER, 0.05), (0.0, 0.1), (30.0, 0.06), (EVER, 0.05)]),
            edge_blocked: c(&[
                (NEVER, 20.0),
                (1.9, 20.0),
                (2.4, 260.0),
                (29.8, 260.0),
                (30.3, 40.0),
                (60.0, 20.0),
            ]),
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

    /// The reference collapse: AZ c php-fpm saturation, Seoul down, GA failover and flapping.
    fn collapse(&mut self) {
        self.seoul_cpu = c(&[
            (NEVER, 20.0),
            (-30.0, 20.0),
            (-26.0, 9.0),
            (-10.0, 9.0),
            (0.0, 35.0),
            (1.0, 85.0),
            (2.5, 90.0),
            (4.5, 82.0),
            (6.0, 88.0),
            (9.0, 95.0),
            (9.7, 30.0),
            (10.8, 30.0),
            (11.2, 90.0),
            (12.0, 90.0),
            (12.4, 20.0),
            (17.0, 15.0),
            (25.0, 30.0),
            (30.0, 45.0),
            (35.0, 68.0),
            (50.0, 63.0),
            (54.0, 56.0),
            (58.0, 50.0),
            (80.0, 40.0),
            (120.0, 30.0),
            (121.0, 28.0),
            (180.0, 21.0),
            (EVER, 20.0),
        ]);
        self.seoul_credits = c(&[
            (NEVER, 144.0),
            (-30.0, 144.0),
            (-28.0, 30.0),
            (0.0, 27.0),
            (4.0, 22.0),
            (9.0, 9.0),
            (12.0, 7.0),
            (20.0, 5.0),
            (60.0, 3.0),
            (120.0, 3.0),
            (120.5, 100.0),
            (600.0, 144.0),
        ]);
        self.seoul_p99 = c(&[
            (NEVER, 0.29),
            (-30.0, 0.29),
            (-26.0, 0.27),
            (-10.0, 0.27),
            (0.0, 0.45),
            (0.5, 1.2),
            (2.0, 1.3),
            (6.0, 1.5),
            (8.5, 2.6),
            (9.2, 12.0),
            (12.0, 12.0),
            (17.0, 3.0),
            (20.0, 0.9),
            (25.0, 0.8),
            (30.0, 0.7),
            (35.0, 0.75),
            (45.0, 0.55),
            (55.0, 0.45),
            (60.0, 0.45),
            (79.5, 0.44),
            (80.2, 0.30),
            (EVER, 0.29),
        ]);
        self.seoul_t5xx = c(&[
            (NEVER, 0.08),
            (0.0, 0.1),
            (2.0, 0.15),
            (6.0, 0.2),
            (8.0, 1.5),
            (9.0, 1.6),
            (9.3, 3.0),
            (16.0, 3.0),
            (19.0, 1.0),
            (20.0, 0.12),
            (35.0, 0.1),
            (EVER, 0.08),
        ]);
        self.seoul_e5xx = c(&[
            (NEVER, 0.02),
            (9.0, 0.02),
            (9.3, 35.0),
            (12.0, 40.0),
            (16.0, 20.0),
            (19.0, 2.0),
            (20.0, 0.03),
            (EVER, 0.02),
        ]);
        self.virginia_cpu = c(&[
            (NEVER, 15.0),
            (-10.0, 15.0),
            (0.0, 30.0),
            (1.0, 45.0),
            (9.6, 48.0),
            (10.2, 95.0),
            (10.9, 95.0),
            (11.3, 70.0),
            (11.9, 70.0),
            (12.3, 95.0),
            (15.0, 95.0),
            (18.0, 72.0),
            (20.0, 66.0),
            (25.0, 55.0),
            (30.0, 45.0),
            (35.0, 30.0),
            (40.0, 27.0),
            (60.0, 22.0),
            (90.0, 18.0),
            (120.0, 16.0),
            (EVER, 15.0),
        ]);
        self.virginia_p99 = c(&[
            (NEVER, 2.1),
            (0.0, 2.2),
            (1.0, 2.45),
            (9.6, 2.5),
            (10.2, 4.5),
            (15.0, 4.5),
            (18.0, 3.2),
            (20.0, 2.9),
            (25.0, 2.6),
            (35.0, 2.25),
            (EVER, 2.1),
        ]);
        self.virginia_t5xx = c(&[
            (NEVER, 0.08),
            (0.0, 0.1),
            (9.6, 0.1),
            (10.2, 6.0),
            (15.0, 6.0),
            (18.0, 1.2),
            (20.0, 0.6),
            (22.0, 0.25),
            (25.0, 0.15),
            (35.0, 0.1),
            (EVER, 0.08),
        ]);
        self.virginia_e5xx = c(&[
            (NEVER, 0.02),
            (9.6, 0.02),
            (10.2, 0.5),
            (15.0, 0.5),
            (18.0, 0.05),
            (20.0, 0.02),
        ]);
        self.db_cpu = c(&[
            (NEVER, 8.0),
            (-10.0, 8.0),
            (0.0, 20.0),
            (1.0, 55.0),
            (2.0, 65.0),
            (6.0, 72.0),
            (9.0, 78.0),
            (14.0, 75.0),
            (15.0, 70.0),
            (20.0, 55.0),
            (30.0, 45.0),
            (45.0, 32.0),
            (60.0, 20.0),
            (90.0, 12.0),
            (120.0, 9.0),
            (EVER, 8.0),
        ]);
        self.db_conn = c(&[
            (NEVER, 12.0),
            (-30.0, 12.0),
            (-26.0, 22.0),
            (0.0, 30.0),
            (1.0, 40.0),
            (4.0, 44.0),
            (6.0, 50.0),
            (9.0, 54.0),
            (10.0, 62.0),
            (14.5, 62.0),
            (15.5, 56.0),
            (20.0, 48.0),
            (30.0, 42.0),
            (40.0, 38.0),
            (45.0, 33.0),
            (60.0, 28.0),
            (90.0, 22.0),
            (120.0, 20.0),
            (121.0, 13.0),
            (EVER, 12.0),
        ]);
        self.cf_5xx = c(&[
            (NEVER, 0.05),
            (0.0, 0.1),
            (9.0, 0.4),
            (15.0, 0.4),
            (20.0, 0.1),
            (30.0, 0.06),
            (EVER, 0.05),
        ]);
        self.ga_seoul = Steps::new(H, &[(580, U), (660, H), (720, U), (1010, H)]);
        self.dial_seoul = Steps::new(
            100.0,
            &[(900, 0.0), (1500, 25.0), (1800, 50.0), (2100, 100.0)],
        );
        self.operator = vec![
            (900, "GA BTS-AGA endpoint group ap-northeast-2 traffic dial 100 -> 0 (RB-05: endpoint flapping)".into()),
            (905, "ECS WEB-BTS-CLUSTER container instances 2 -> 6 (RB-04: Virginia capacity)".into()),
            (1500, "GA BTS-AGA endpoint group ap-northeast-2 traffic dial 0 -> 25".into()),
            (1800, "GA BTS-AGA endpoint group ap-northeast-2 traffic dial 25 -> 50".into()),
            (2100, "GA BTS-AGA endpoint group ap-northeast-2 traffic dial 50 -> 100".into()),
        ];
    }

    /// Shared-DB variant: the collapse, but caused by RDS at 100%, and Virginia fails too.
    fn shared_db(&mut self) {
        self.collapse();
        self.db_cpu = c(&[
            (NEVER, 8.0),
            (-10.0, 8.0),
            (0.0, 20.0),
            (1.0, 55.0),
            (2.0, 65.0),
            (7.0, 72.0),
            (8.0, 100.0),
            (38.0, 100.0),
            (42.0, 45.0),
            (60.0, 22.0),
            (90.0, 12.0),
            (120.0, 9.0),
            (EVER, 8.0),
        ]);
        self.db_conn = c(&[
            (NEVER, 12.0),
            (-30.0, 12.0),
            (-26.0, 22.0),
            (0.0, 30.0),
            (1.0, 40.0),
            (7.0, 46.0),
            (8.0, 64.0),
            (38.0, 64.0),
            (42.0, 40.0),
            (60.0, 28.0),
            (90.0, 22.0),
            (120.0, 20.0),
            (121.0, 13.0),
            (EVER, 12.0),
        ]);
        self.seoul_t5xx = c(&[
            (NEVER, 0.08),
            (0.0, 0.1),
            (2.0, 0.15),
            (8.0, 0.2),
            (8.5, 8.0),
            (40.0, 8.0),
            (42.0, 0.3),
            (45.0, 0.12),
            (EVER, 0.08),
        ]);
        self.seoul_e5xx = c(&[
            (NEVER, 0.02),
            (8.8, 0.02),
            (9.3, 35.0),
            (40.0, 35.0),
            (42.0, 0.05),
            (EVER, 0.02),
        ]);
        self.seoul_p99 = c(&[
            (NEVER, 0.29),
            (-30.0, 0.29),
            (-26.0, 0.27),
            (-10.0, 0.27),
            (0.0, 0.45),
            (0.5, 1.2),
            (7.5, 1.4),
            (8.5, 12.0),
            (40.0, 12.0),
            (43.0, 0.9),
            (50.0, 0.6),
            (60.0, 0.45),
            (79.5, 0.44),
            (80.2, 0.30),
            (EVER, 0.29),
        ]);
        self.virginia_t5xx = c(&[
            (NEVER, 0.08),
            (0.0, 0.1),
            (8.0, 0.1),
            (8.5, 3.0),
            (10.2, 22.0),
            (40.0, 22.0),
            (42.0, 1.0),
            (45.0, 0.15),
            (EVER, 0.08),
        ]);
        self.virginia_p99 = c(&[
            (NEVER, 2.1),
            (0.0, 2.2),
            (1.0, 2.45),
            (8.0, 2.5),
            (8.5, 6.0),
            (10.2, 9.0),
            (40.0, 9.0),
            (43.0, 2.6),
            (50.0, 2.2),
            (EVER, 2.1),
        ]);
        self.ga_seoul = Steps::new(H, &[(580, U), (660, H), (720, U), (2480, H)]);
        self.dial_seoul = Steps::new(
            100.0,
            &[(900, 0.0), (2700, 25.0), (3000, 50.0), (3300, 100.0)],
        );
        self.operator = vec![
            (900, "GA BTS-AGA endpoint group ap-northeast-2 traffic dial 100 -> 0 (RB-05: endpoint flapping)".into()),
            (905, "ECS WEB-BTS-CLUSTER container instances 2 -> 6 (RB-04: Virginia capacity)".into()),
            (2700, "GA BTS-AGA endpoint group ap-northeast-2 traffic dial 0 -> 25".into()),
            (3000, "GA BTS-AGA endpoint group ap-northeast-2 traffic dial 25 -> 50".into()),
            (3300, "GA BTS-AGA endpoint group ap-northeast-2 traffic dial 50 -> 100".into()),
        ];
    }

    /// Fail-open variant: both endpoint groups unhealthy, GA still splits traffic.
    fn fail_open(&mut self) {
        self.collapse();
        self.ga_seoul = Steps::new(H, &[(580, U), (1200, H)]);
        self.ga_virginia = Steps::new(H, &[(575, U), (1150, H)]);
        self.dial_seoul = Steps::new(100.0, &[]);
        self.operator = vec![(
            905,
            "ECS WEB-BTS-CLUSTER container instances 2 -> 6 (RB-04: Virginia capacity)".into(),
        )];
        self.seoul_e5xx = c(&[
            (NEVER, 0.02),
            (9.0, 0.02),
            (9.3, 35.0),
            (19.0, 35.0),
            (20.0, 0.03),
            (EVER, 0.02),
        ]);
        self.seoul_cpu = c(&[
            (NEVER, 20.0),
            (-30.0, 20.0),
            (-26.0, 9.0),
            (-10.0, 9.0),
            (0.0, 35.0),
            (1.0, 85.0),
            (2.5, 90.0),
            (4.5, 82.0),
            (6.0, 88.0),
            (9.0, 95.0),
            (19.0, 95.0),
            (21.0, 72.0),
            (35.0, 68.0),
            (50.0, 63.0),
            (54.0, 56.0),
            (58.0, 50.0),
            (80.0, 40.0),
            (120.0, 30.0),
            (121.0, 28.0),
            (180.0, 21.0),
            (EVER, 20.0),
        ]);
        self.virginia_t5xx = c(&[
            (NEVER, 0.08),
            (0.0, 0.1),
            (9.0, 0.1),
            (9.5, 12.0),
            (19.0, 12.0),
            (20.0, 0.3),
            (22.0, 0.12),
            (EVER, 0.08),
        ]);
        self.virginia_cpu = c(&[
            (NEVER, 15.0),
            (-10.0, 15.0),
            (0.0, 30.0),
            (1.0, 45.0),
            (9.0, 48.0),
            (9.5, 85.0),
            (19.0, 85.0),
            (21.0, 40.0),
            (40.0, 25.0),
            (90.0, 18.0),
            (120.0, 16.0),
            (EVER, 15.0),
        ]);
    }

    /// RDS Multi-AZ failover at T+5m: 90 s of DB errors, no region failover.
    fn rds_failover(&mut self) {
        self.rds_failover = Some((300, 390));
        self.db_conn = c(&[
            (NEVER, 12.0),
            (-30.0, 12.0),
            (-26.0, 22.0),
            (0.0, 28.0),
            (1.0, 38.0),
            (4.5, 42.0),
            (5.0, 2.0),
            (6.4, 2.0),
            (6.8, 50.0),
            (9.0, 44.0),
            (20.0, 40.0),
            (30.0, 36.0),
            (45.0, 32.0),
            (60.0, 28.0),
            (90.0, 22.0),
            (120.0, 20.0),
            (121.0, 13.0),
            (EVER, 12.0),
        ]);
        self.seoul_t5xx = c(&[
            (NEVER, 0.08),
            (0.0, 0.1),
            (2.0, 0.15),
            (5.0, 0.15),
            (5.1, 9.0),
            (6.4, 9.0),
            (6.7, 0.2),
            (20.0, 0.15),
            (30.0, 0.1),
            (EVER, 0.08),
        ]);
        self.virginia_t5xx = c(&[
            (NEVER, 0.08),
            (0.0, 0.1),
            (5.0, 0.1),
            (5.1, 9.0),
            (6.4, 9.0),
            (6.7, 0.1),
            (EVER, 0.08),
        ]);
        self.replica_lag = c(&[
            (NEVER, 1.0),
            (0.0, 2.0),
            (2.0, 4.0),
            (5.0, 4.0),
            (6.5, 25.0),
            (9.0, 6.0),
            (20.0, 3.0),
            (30.0, 1.5),
            (EVER, 1.0),
        ]);
    }

    /// The two fleets with their scripted health.
    fn build_fleets(&mut self, seed: u64, extra: usize) {
        let (a, cz) = ("ap-northeast-2a", "ap-northeast-2c");
        let mut f = Fleet::default();
        let s1 = f.existing(seed, "seoul", a);
        let s2 = f.existing(seed, "seoul", cz);
        // 19:30 scheduled scale-out 2 -> 8: launches 35-60 s apart.
        let mut t = -1800 + 5;
        let mut out = Vec::new();
        for k in 0..6 {
            let az = if k % 2 == 0 { a } else { cz };
            out.push(f.launch(
                seed,
                "seoul",
                az,
                t,
                rng::range(seed, "hc-ready", k, 95, 120),
            ));
            t += rng::range(seed, "launch-gap", k, 35, 60);
        }
        // Target tracking adds `extra` at T+1m.
        let mut t = 65;
        for k in 0..extra {
            let az = if k % 2 == 0 { a } else { cz };
            out.push(f.launch(
                seed,
                "seoul",
                az,
                t,
                rng::range(seed, "hc-ready", 10 + k as i64, 95, 120),
            ));
            t += rng::range(seed, "launch-gap", 10 + k as i64, 35, 60);
        }
        let mut keep = vec![s1];
        match self.peak {
            Peak::Calm => keep.push(s2),
            Peak::Collapse | Peak::SharedDb | Peak::FailOpen => {
                let shared = self.peak == Peak::SharedDb;
                let recover_at = if shared { 2430 } else { 1030 };
                // php-fpm saturation in AZ c (not in shared-db: there the DB is the cause).
                let c_side: Vec<usize> = f.indices_in(cz).into_iter().take(3).collect();
                if !shared {
                    for (k, &i) in c_side.iter().enumerate() {
                        f.set(i, [362, 410, 452][k], Phase::Unhealthy("Target.Timeout"));
                    }
                }
                let others: Vec<usize> = (0..f.instances.len())
                    .filter(|i| shared || !c_side.contains(i))
                    .collect();
                let base = if shared { 520 } else { 540 };
                for (k, &i) in others.iter().enumerate() {
                    f.set(i, base + 3 * k as i64, Phase::Unhealthy("Target.Timeout"));
                }
                // Two AZ-a targets pass checks briefly once traffic drains away: GA flaps.
                if self.peak != Peak::FailOpen {
                    let flappers: Vec<usize> = others
                        .iter()
                        .copied()
                        .filter(|&i| f.instances[i].az == a)
                        .take(2)
                        .collect();
                    for i in flappers {
                        f.set(i, 630, Phase::Healthy);
                        f.set(i, 702, Phase::Unhealthy("Target.Timeout"));
                    }
                }
                // 20:12 the ASG replaces the three AZ-c instances.
                let replaced: Vec<usize> = if shared { Vec::new() } else { c_side.clone() };
                for &i in &replaced {
                    f.terminate(i, 720);
                }
                let ready = [(760, 980), (800, 1005), (845, 1025)];
                for &(in_service, healthy) in ready.iter().take(replaced.len()) {
                    keep.push(f.launch(seed, "seoul", cz, in_service - 40, healthy - in_service));
                }
                for (k, &i) in others.iter().enumerate() {
                    f.set(i, recover_at + 23 * k as i64, Phase::Healthy);
                }
                if shared {
                    keep.push(s2);
                }
            }
        }
        // 22:00 scheduled scale-in to 2: keep the oldest AZ-a instance and one AZ-c instance.
        let keep_c = keep.iter().copied().find(|&i| f.instances[i].az == cz);
        let survivors = [Some(s1), keep_c];
        let victims: Vec<usize> = (0..f.instances.len())
            .filter(|i| !survivors.contains(&Some(*i)) && f.instances[*i].terminate.is_none())
            .collect();
        for (k, &i) in victims.iter().enumerate() {
            f.terminate(i, 7200 + 2 * k as i64);
        }
        self.seoul = f;
        self.virginia = self.virginia_fleet(seed);
    }

    fn virginia_fleet(&self, seed: u64) -> Fleet {
        let (a, cz) = ("us-east-1a", "us-east-1c");
        let mut v = Fleet::default();
        let v1 = v.existing(seed, "virginia", a);
        let v2 = v.existing(seed, "virginia", cz);
        if self.peak == Peak::Calm {
            return v;
        }
        // 20:15 ECS scaled to 6 hosts: boot, agent, DAEMON task, then health checks.
        for (k, launch) in [910, 940, 965, 990].into_iter().enumerate() {
            let az = if k % 2 == 0 { a } else { cz };
            v.launch(
                seed,
                "virginia",
                az,
                launch,
                150 + rng::range(seed, "ecs-ready", k as i64, 0, 20),
            );
        }
        if self.peak == Peak::FailOpen {
            for (k, &i) in [v1, v2].iter().enumerate() {
                v.set(
                    i,
                    560 + 7 * k as i64,
                    Phase::Unhealthy("Target.ResponseCodeMismatch"),
                );
                v.set(i, 1130 + 9 * k as i64, Phase::Healthy);
            }
        }
        v
    }
}
