//! The incident scripts layered on the reference flash sale: the collapse (php-fpm saturation,
//! Seoul down, Global Accelerator failover and flapping, operator dial ramp), the shared-DB and
//! fail-open variants, and the RDS Multi-AZ failover.

use super::{EVER, H, NEVER, Script, U, c};
use crate::curve::Steps;

impl Script {
    /// The reference collapse: AZ c php-fpm saturation, Seoul down, GA failover and flapping.
    #[rustfmt::skip]
    pub(super) fn collapse(&mut self) {
        self.seoul_cpu = c(&[(NEVER, 20.0), (-30.0, 20.0), (-26.0, 9.0), (-10.0, 9.0), (0.0, 35.0), (1.0, 85.0), (2.5, 90.0), (4.5, 82.0), (6.0, 88.0), (9.0, 95.0), (9.7, 30.0), (10.8, 30.0), (11.2, 90.0), (12.0, 90.0), (12.4, 20.0), (17.0, 15.0), (25.0, 30.0), (30.0, 45.0), (35.0, 68.0), (50.0, 63.0), (54.0, 56.0), (58.0, 50.0), (80.0, 40.0), (120.0, 30.0), (121.0, 28.0), (180.0, 21.0), (EVER, 20.0)]);
        self.seoul_credits = c(&[(NEVER, 144.0), (-30.0, 144.0), (-28.0, 30.0), (0.0, 27.0), (4.0, 22.0), (9.0, 9.0), (12.0, 7.0), (17.0, 8.0), (25.0, 12.5), (60.0, 20.0), (120.0, 28.0), (120.5, 100.0), (600.0, 144.0)]);
        self.seoul_p99 = c(&[(NEVER, 0.29), (-30.0, 0.29), (-26.0, 0.27), (-10.0, 0.27), (0.0, 0.45), (0.5, 1.2), (2.0, 1.3), (6.0, 1.5), (8.5, 2.6), (9.2, 12.0), (12.0, 12.0), (17.0, 3.0), (20.0, 0.9), (25.0, 0.8), (30.0, 0.7), (35.0, 0.75), (45.0, 0.55), (55.0, 0.45), (60.0, 0.45), (79.5, 0.44), (80.2, 0.30), (EVER, 0.29)]);
        self.seoul_t5xx = c(&[(NEVER, 0.08), (0.0, 0.1), (2.0, 0.15), (6.0, 0.2), (8.0, 1.5), (9.0, 1.6), (9.3, 3.0), (16.0, 3.0), (19.0, 1.0), (20.0, 0.12), (35.0, 0.1), (EVER, 0.08)]);
        self.seoul_e5xx = c(&[(NEVER, 0.02), (9.0, 0.02), (9.3, 35.0), (12.0, 40.0), (16.0, 20.0), (19.0, 2.0), (20.0, 0.03), (EVER, 0.02)]);
        self.virginia_cpu = c(&[(NEVER, 15.0), (-10.0, 15.0), (0.0, 30.0), (1.0, 45.0), (9.6, 48.0), (10.2, 95.0), (10.9, 95.0), (11.3, 70.0), (11.9, 70.0), (12.3, 95.0), (15.0, 95.0), (18.0, 72.0), (20.0, 66.0), (25.0, 55.0), (30.0, 45.0), (35.0, 30.0), (40.0, 27.0), (60.0, 22.0), (90.0, 18.0), (120.0, 16.0), (EVER, 15.0)]);
        self.virginia_p99 = c(&[(NEVER, 2.1), (0.0, 2.2), (1.0, 2.45), (9.6, 2.5), (10.2, 4.5), (15.0, 4.5), (18.0, 3.2), (20.0, 2.9), (25.0, 2.6), (35.0, 2.25), (EVER, 2.1)]);
        self.virginia_t5xx = c(&[(NEVER, 0.08), (0.0, 0.1), (9.6, 0.1), (10.2, 6.0), (15.0, 6.0), (18.0, 1.2), (20.0, 0.6), (22.0, 0.25), (25.0, 0.15), (35.0, 0.1), (EVER, 0.08)]);
        self.virginia_e5xx = c(&[(NEVER, 0.02), (9.6, 0.02), (10.2, 0.5), (15.0, 0.5), (18.0, 0.05), (20.0, 0.02)]);
        self.db_cpu = c(&[(NEVER, 8.0), (-10.0, 8.0), (0.0, 20.0), (1.0, 55.0), (2.0, 65.0), (6.0, 72.0), (9.0, 78.0), (14.0, 75.0), (15.0, 70.0), (20.0, 55.0), (30.0, 45.0), (45.0, 32.0), (60.0, 20.0), (90.0, 12.0), (120.0, 9.0), (EVER, 8.0)]);
        self.db_conn = c(&[(NEVER, 12.0), (-30.0, 12.0), (-26.0, 22.0), (0.0, 30.0), (1.0, 40.0), (4.0, 44.0), (6.0, 50.0), (9.0, 54.0), (10.0, 62.0), (14.5, 62.0), (15.5, 56.0), (20.0, 48.0), (30.0, 42.0), (40.0, 38.0), (45.0, 33.0), (60.0, 28.0), (90.0, 22.0), (120.0, 20.0), (121.0, 13.0), (EVER, 12.0)]);
        self.cf_5xx = c(&[(NEVER, 0.05), (0.0, 0.1), (9.0, 0.4), (15.0, 0.4), (20.0, 0.1), (30.0, 0.06), (EVER, 0.05)]);
        self.ga_seoul = Steps::new(H, &[(578, U), (660, H), (720, U), (1010, H)]);
        self.dial_seoul = Steps::new(100.0,
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
    #[rustfmt::skip]
    pub(super) fn shared_db(&mut self) {
        self.collapse();
        // The web tier waits on the database: CPU falls while requests hang.
        self.seoul_cpu = c(&[(NEVER, 20.0), (-30.0, 20.0), (-26.0, 9.0), (-10.0, 9.0), (0.0, 35.0), (1.0, 85.0), (2.5, 90.0), (4.5, 82.0), (7.5, 80.0), (8.5, 25.0), (40.0, 20.0), (43.0, 66.0), (50.0, 63.0), (54.0, 56.0), (58.0, 50.0), (80.0, 40.0), (120.0, 30.0), (121.0, 28.0), (180.0, 21.0), (EVER, 20.0)]);
        self.db_cpu = c(&[(NEVER, 8.0), (-10.0, 8.0), (0.0, 20.0), (1.0, 55.0), (2.0, 65.0), (7.0, 72.0), (8.0, 100.0), (38.0, 100.0), (42.0, 45.0), (60.0, 22.0), (90.0, 12.0), (120.0, 9.0), (EVER, 8.0)]);
        self.db_conn = c(&[(NEVER, 12.0), (-30.0, 12.0), (-26.0, 22.0), (0.0, 30.0), (1.0, 40.0), (7.0, 46.0), (8.0, 64.0), (38.0, 64.0), (42.0, 40.0), (60.0, 28.0), (90.0, 22.0), (120.0, 20.0), (121.0, 13.0), (EVER, 12.0)]);
        self.seoul_t5xx = c(&[(NEVER, 0.08), (0.0, 0.1), (2.0, 0.15), (8.0, 0.2), (8.5, 8.0), (40.0, 8.0), (42.0, 0.3), (45.0, 0.12), (EVER, 0.08)]);
        self.seoul_e5xx = c(&[(NEVER, 0.02), (8.8, 0.02), (9.3, 35.0), (40.0, 35.0), (42.0, 0.05), (EVER, 0.02)]);
        self.seoul_p99 = c(&[(NEVER, 0.29), (-30.0, 0.29), (-26.0, 0.27), (-10.0, 0.27), (0.0, 0.45), (0.5, 1.2), (7.5, 1.4), (8.5, 12.0), (40.0, 12.0), (43.0, 0.9), (50.0, 0.6), (60.0, 0.45), (79.5, 0.44), (80.2, 0.30), (EVER, 0.29)]);
        self.virginia_t5xx = c(&[(NEVER, 0.08), (0.0, 0.1), (8.0, 0.1), (8.5, 3.0), (10.2, 22.0), (40.0, 22.0), (42.0, 1.0), (45.0, 0.15), (EVER, 0.08)]);
        self.virginia_p99 = c(&[(NEVER, 2.1), (0.0, 2.2), (1.0, 2.45), (8.0, 2.5), (8.5, 6.0), (10.2, 9.0), (40.0, 9.0), (43.0, 2.6), (50.0, 2.2), (EVER, 2.1)]);
        self.ga_seoul = Steps::new(H, &[(578, U), (660, H), (720, U), (2480, H)]);
        self.dial_seoul = Steps::new(100.0,
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
    #[rustfmt::skip]
    pub(super) fn fail_open(&mut self) {
        self.collapse();
        self.ga_seoul = Steps::new(H, &[(578, U), (1200, H)]);
        self.ga_virginia = Steps::new(H, &[(575, U), (1150, H)]);
        self.dial_seoul = Steps::new(100.0, &[]);
        self.operator = vec![(
            905,
            "ECS WEB-BTS-CLUSTER container instances 2 -> 6 (RB-04: Virginia capacity)".into(),
        )];
        self.seoul_e5xx = c(&[(NEVER, 0.02), (9.0, 0.02), (9.3, 35.0), (19.0, 35.0), (20.0, 0.03), (EVER, 0.02)]);
        self.seoul_cpu = c(&[(NEVER, 20.0), (-30.0, 20.0), (-26.0, 9.0), (-10.0, 9.0), (0.0, 35.0), (1.0, 85.0), (2.5, 90.0), (4.5, 82.0), (6.0, 88.0), (9.0, 95.0), (19.0, 95.0), (21.0, 72.0), (35.0, 68.0), (50.0, 63.0), (54.0, 56.0), (58.0, 50.0), (80.0, 40.0), (120.0, 30.0), (121.0, 28.0), (180.0, 21.0), (EVER, 20.0)]);
        self.virginia_t5xx = c(&[(NEVER, 0.08), (0.0, 0.1), (9.0, 0.1), (9.5, 12.0), (19.0, 12.0), (20.0, 0.3), (22.0, 0.12), (EVER, 0.08)]);
        self.virginia_cpu = c(&[(NEVER, 15.0), (-10.0, 15.0), (0.0, 30.0), (1.0, 45.0), (9.0, 48.0), (9.5, 90.0), (19.0, 90.0), (21.0, 40.0), (40.0, 25.0), (90.0, 18.0), (120.0, 16.0), (EVER, 15.0)]);
    }

    /// RDS Multi-AZ failover at T+5m: 90 s of DB errors, no region failover.
    #[rustfmt::skip]
    pub(super) fn rds_failover(&mut self) {
        self.rds_failover = Some((300, 390));
        self.db_conn = c(&[(NEVER, 12.0), (-30.0, 12.0), (-26.0, 22.0), (0.0, 28.0), (1.0, 38.0), (4.5, 42.0), (5.0, 2.0), (6.4, 2.0), (6.8, 50.0), (9.0, 44.0), (20.0, 40.0), (30.0, 36.0), (45.0, 32.0), (60.0, 28.0), (90.0, 22.0), (120.0, 20.0), (121.0, 13.0), (EVER, 12.0)]);
        self.seoul_t5xx = c(&[(NEVER, 0.08), (0.0, 0.1), (2.0, 0.15), (5.0, 0.15), (5.1, 9.0), (6.4, 9.0), (6.7, 0.2), (20.0, 0.15), (30.0, 0.1), (EVER, 0.08)]);
        self.virginia_t5xx = c(&[(NEVER, 0.08), (0.0, 0.1), (5.0, 0.1), (5.1, 9.0), (6.4, 9.0), (6.7, 0.1), (EVER, 0.08)]);
        self.replica_lag = c(&[(NEVER, 1.0), (0.0, 2.0), (2.0, 4.0), (5.0, 4.0), (6.5, 25.0), (9.0, 6.0), (20.0, 3.0), (30.0, 1.5), (EVER, 1.0)]);
    }
}
