//! Error-log lines of the world: Apache/php-fpm lines for the Seoul web tier and the Virginia ECS
//! task, as many per minute as the minute's errors, with realistic content for each phase. A few
//! carry hostile bytes (ANSI escapes, control characters) inside the requested URI, as attackers
//! send them, so the display sanitiser is exercised.

// Short names (a, b, m, r, x) follow the formulas and AWS field names they mirror.
#![allow(clippy::many_single_char_names)]

use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::model::{LogLine, TargetState};

use super::super::rng;
use super::{World, minute_of};

/// Log groups the world writes.
const SEOUL: &str = "/hybridbts/seoul/httpd/error_log";
const VIRGINIA: &str = "/ecs/bts-web";

const HOSTILE_URIS: [&str; 4] = [
    "/board?id=1\u{1b}[2J\u{1b}[H",
    "/search?q=\u{1b}]0;owned\u{7}",
    "/wp-login.php\u{7}\u{8}\u{8}",
    "/cart?x=\u{9b}31m",
];

impl World {
    /// Errors logged in the minute starting at `minute_start`, `None` for an unknown group.
    pub fn log_errors(&self, group: &str, minute_start: DateTime<Utc>) -> Option<u64> {
        let m = minute_of(self.rel(minute_start));
        let x = self.minute(m);
        let mut r = rng::stream(self.seed(), &format!("log-count:{group}"), m);
        let n = match group {
            SEOUL => {
                rng::poisson(&mut r, 1.2) as f64
                    + x.seoul.target_5xx
                    + (x.seoul.elb_5xx / 2.0).round()
            }
            VIRGINIA => rng::poisson(&mut r, 0.8) as f64 + x.virginia.target_5xx,
            _ => return None,
        };
        Some(n as u64)
    }

    /// The newest `limit` error lines of `group` in `[from, to)`, newest first.
    pub fn log_lines(
        &self,
        group: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> Option<Vec<LogLine>> {
        let (a, b) = (self.rel(from), self.rel(to));
        let mut out = Vec::new();
        let mut m = minute_of(b - 1);
        while out.len() < limit && m * 60 + 60 > a {
            let start = self.abs(m * 60);
            let n = self.log_errors(group, start)?;
            for i in (0..n).rev() {
                let t = m * 60 + (i as i64 * 60) / n.max(1) as i64;
                if t < a || t >= b {
                    continue;
                }
                out.push(self.line(group, m, i, t));
                if out.len() >= limit {
                    break;
                }
            }
            m -= 1;
        }
        out.sort_by_key(|l| std::cmp::Reverse(l.ts));
        Some(out)
    }

    fn line(&self, group: &str, m: i64, i: u64, t: i64) -> LogLine {
        let mut r = rng::stream(
            self.seed(),
            &format!("log-line:{group}"),
            m * 1_000_000 + i as i64,
        );
        let micros = r.random_range(0..1_000_000);
        let ts = self.abs(t) + TimeDelta::microseconds(micros);
        let x = self.minute(m);
        let ip = client_ip(&mut r);
        let port = r.random_range(30_000..65_000);
        let hostile = r.random::<f64>() < 0.04;
        let uri = if hostile {
            HOSTILE_URIS[r.random_range(0..HOSTILE_URIS.len())].to_string()
        } else {
            [
                "/cart",
                "/order",
                "/product/photocard-1000",
                "/index.php",
                "/checkout",
            ][r.random_range(0..5)]
            .to_string()
        };
        let local = ts
            .with_timezone(&self.tz())
            .format("%a %b %d %H:%M:%S%.6f %Y");
        let pid = r.random_range(1000..32_000);
        let in_failover = self
            .script()
            .rds_failover
            .is_some_and(|(a, b)| t >= a && t < b + 30);
        let said = Said {
            local: local.to_string(),
            pid,
            ip,
            port,
            uri,
        };
        let (stream, message) = if group == SEOUL {
            let stream = self.seoul_stream(&mut r, t);
            (
                stream,
                self.seoul_message(
                    &mut r,
                    &said,
                    ts,
                    hostile || x.seoul.target_5xx + x.seoul.elb_5xx < 8.0,
                    in_failover,
                ),
            )
        } else {
            let task: u128 = r.random();
            let stream = format!("bts-web/BTS-WEB/{task:032x}");
            (
                stream,
                virginia_message(&mut r, &said, in_failover || x.virginia.target_5xx > 5.0),
            )
        };
        LogLine {
            ts,
            stream: Some(stream),
            message,
        }
    }

    /// A Seoul httpd error line: refused database connections during a failover, the usual
    /// noise when `calm`, php-fpm and proxy timeouts under load otherwise.
    fn seoul_message(
        &self,
        r: &mut ChaCha8Rng,
        said: &Said,
        ts: DateTime<Utc>,
        calm: bool,
        in_failover: bool,
    ) -> String {
        let Said {
            local,
            pid,
            ip,
            port,
            uri,
        } = said;
        if in_failover {
            format!(
                "[{local}] [php7:error] [pid {pid}] [client {ip}:{port}] PHP Warning:  mysqli_real_connect(): (HY000/2002): Connection refused in /var/www/html/lib/db.php on line 14, referer: https://www.hybridbts.com{uri}"
            )
        } else if calm {
            match r.random_range(0..3) {
                0 => format!(
                    "[{local}] [core:info] [pid {pid}] [client {ip}:{port}] AH00128: File does not exist: /var/www/html{uri}"
                ),
                1 => format!(
                    "[{local}] [php7:notice] [pid {pid}] [client {ip}:{port}] PHP Notice:  Undefined index: coupon in /var/www/html/cart.php on line 57, referer: https://www.hybridbts.com{uri}"
                ),
                _ => format!(
                    "[{local}] [authz_core:error] [pid {pid}] [client {ip}:{port}] AH01630: client denied by server configuration: /var/www/html/.env"
                ),
            }
        } else {
            match r.random_range(0..4) {
                0 => format!(
                    "[{}] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it",
                    ts.with_timezone(&self.tz()).format("%d-%b-%Y %H:%M:%S")
                ),
                1 => format!(
                    "[{local}] [proxy_fcgi:error] [pid {pid}] (70007)The timeout specified has expired: [client {ip}:{port}] AH01075: Error dispatching request to : (polling), referer: https://www.hybridbts.com{uri}"
                ),
                2 => format!(
                    "[{local}] [proxy_fcgi:error] [pid {pid}] [client {ip}:{port}] AH01071: Got error 'PHP message: PHP Fatal error:  Maximum execution time of 30 seconds exceeded in /var/www/html/order.php on line 88', referer: https://www.hybridbts.com{uri}"
                ),
                _ => format!(
                    "[{local}] [mpm_event:error] [pid {pid}] AH03490: scoreboard is full, not at MaxRequestWorkers.Increase ServerLimit."
                ),
            }
        }
    }

    /// The CloudWatch agent's stream (instance id) of a Seoul instance registered at `t`.
    fn seoul_stream(&self, r: &mut ChaCha8Rng, t: i64) -> String {
        let ids: Vec<&str> = self
            .script()
            .seoul
            .instances
            .iter()
            .filter(|i| {
                i.target_at(t)
                    .is_some_and(|(s, _)| s != TargetState::Draining)
            })
            .map(|i| i.id.as_str())
            .collect();
        if ids.is_empty() {
            return "httpd/error_log".to_string();
        }
        format!("{}/httpd/error_log", ids[r.random_range(0..ids.len())])
    }
}

fn client_ip(r: &mut ChaCha8Rng) -> String {
    let nets = [
        (211, 36),
        (175, 223),
        (121, 134),
        (58, 120),
        (1, 234),
        (110, 70),
        (39, 7),
    ];
    let (a, b) = nets[r.random_range(0..nets.len())];
    format!(
        "{a}.{b}.{}.{}",
        r.random_range(0..256),
        r.random_range(1..255)
    )
}

/// A Virginia task's error line: database and session errors when `failing`, the usual noise
/// otherwise.
fn virginia_message(r: &mut ChaCha8Rng, said: &Said, failing: bool) -> String {
    let Said {
        local,
        pid,
        ip,
        port,
        uri,
    } = said;
    if failing {
        match r.random_range(0..3) {
            0 => format!(
                "[{local}] [php7:error] [pid {pid}] [client {ip}:{port}] PHP Warning:  mysqli_real_connect(): (HY000/2002): Connection timed out in /var/www/html/lib/db.php on line 14"
            ),
            1 => format!(
                "[{local}] [php7:error] [pid {pid}] [client {ip}:{port}] PHP Fatal error:  Uncaught mysqli_sql_exception: Too many connections in /var/www/html/lib/db.php:14"
            ),
            _ => format!(
                "[{local}] [php7:error] [pid {pid}] [client {ip}:{port}] PHP Warning:  session_start(): Failed to read session data: redis (path: tcp://bts-redis-001.abc123.0001.apn2.cache.amazonaws.com:6379) in /var/www/html/inc/session.php on line 3"
            ),
        }
    } else {
        format!(
            "[{local}] [core:info] [pid {pid}] [client {ip}:{port}] AH00128: File does not exist: /var/www/html{uri}"
        )
    }
}

/// What every line of a request carries.
struct Said {
    local: String,
    pid: i32,
    ip: String,
    port: i32,
    uri: String,
}
