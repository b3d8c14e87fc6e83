//! Fault injection, per service and virtual-time window. The grammar of `--faults`:
//!
//! ```text
//! SPEC    = FAULT *( "," FAULT )
//! FAULT   = SERVICE ":" KIND "@" TIME ".." TIME        (the window is half-open: [from, to))
//! SERVICE = cloudwatch | elbv2 | ga | waf | logs | *
//! KIND    = throttle | 5xx | slow | drop | expired | malformed
//! TIME    = T+5m | T-90s | T+1h30m | 20:05 (event clock) | RFC 3339
//! ```
//!
//! e.g. `cloudwatch:throttle@T+5m..T+8m,elbv2:5xx@T+10m..T+12m`. What each kind does:
//! `throttle` answers the protocol's throttling error (CloudWatch and ELBv2 `Throttling`, the
//! JSON services `ThrottlingException`; HTTP 400); `5xx` answers 503 `ServiceUnavailable`;
//! `slow` answers after `slow_delay` of real time (default 25 s, longer than the SDK's 20 s
//! operation timeout); `drop` closes the connection without an answer; `expired` answers
//! `ExpiredToken` / `ExpiredTokenException`; `malformed` answers 200 with a body that does not
//! parse. When several faults cover a call, the first listed wins.

use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::route::{ApiError, Service};
use crate::time::parse_time_spec;

/// How long a `slow` answer waits, by default: more than the pollers' operation timeout.
pub(crate) const DEFAULT_SLOW_DELAY: Duration = Duration::from_secs(25);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    Throttle,
    ServerError,
    Slow,
    Drop,
    Expired,
    Malformed,
}

impl FaultKind {
    pub(crate) const ALL: [FaultKind; 6] = [
        FaultKind::Throttle,
        FaultKind::ServerError,
        FaultKind::Slow,
        FaultKind::Drop,
        FaultKind::Expired,
        FaultKind::Malformed,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            FaultKind::Throttle => "throttle",
            FaultKind::ServerError => "5xx",
            FaultKind::Slow => "slow",
            FaultKind::Drop => "drop",
            FaultKind::Expired => "expired",
            FaultKind::Malformed => "malformed",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == s)
    }

    /// The error this fault answers with, in `service`'s protocol vocabulary (throttle,
    /// 5xx and expired only).
    pub(crate) fn error(self, service: Service) -> Option<ApiError> {
        let query = matches!(
            service,
            Service::CloudWatch
                | Service::Elbv2
                | Service::AutoScaling
                | Service::Rds
                | Service::ElastiCache
                | Service::Route53
        );
        Some(match self {
            FaultKind::Throttle => ApiError::client(
                if query {
                    "Throttling"
                } else {
                    "ThrottlingException"
                },
                "Rate exceeded",
            ),
            FaultKind::ServerError => ApiError::new(
                503,
                "ServiceUnavailable",
                "The service is unavailable. Please try again shortly.",
            ),
            FaultKind::Expired => ApiError::client(
                if query {
                    "ExpiredToken"
                } else {
                    "ExpiredTokenException"
                },
                "The security token included in the request is expired",
            ),
            FaultKind::Slow | FaultKind::Drop | FaultKind::Malformed => return None,
        })
    }
}

impl std::fmt::Display for FaultKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One fault: `service` (None: every service) answers `kind` in `[from, to)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub service: Option<Service>,
    pub kind: FaultKind,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// The faults of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    pub list: Vec<Fault>,
    /// How long a `slow` answer waits (real time).
    pub slow_delay: Duration,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            list: vec![],
            slow_delay: DEFAULT_SLOW_DELAY,
        }
    }
}

/// A bad `--faults` spec: the offending token and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--faults: {reason}: {token:?}")]
pub struct FaultSpecError {
    pub(crate) token: String,
    pub(crate) reason: String,
}

fn bad(token: &str, reason: impl Into<String>) -> FaultSpecError {
    FaultSpecError {
        token: token.to_string(),
        reason: reason.into(),
    }
}

impl Faults {
    /// Parses a spec; times relative to `t0`, clock times in `tz`.
    pub fn parse(spec: &str, t0: DateTime<Utc>, tz: Tz) -> Result<Self, FaultSpecError> {
        let mut list = vec![];
        for item in spec.split(',').map(str::trim) {
            if item.is_empty() {
                return Err(bad(spec, "empty fault (stray comma?)"));
            }
            let (service, rest) = item
                .split_once(':')
                .ok_or_else(|| bad(item, "expected SERVICE:KIND@FROM..TO"))?;
            let service = match service {
                "*" => None,
                s => Some(Service::parse(s).ok_or_else(|| {
                    bad(s, "unknown service (cloudwatch, elbv2, ga, waf, logs or *)")
                })?),
            };
            let (kind, window) = rest
                .split_once('@')
                .ok_or_else(|| bad(item, "missing @FROM..TO window"))?;
            let kind = FaultKind::parse(kind).ok_or_else(|| {
                bad(
                    kind,
                    "unknown fault kind (throttle, 5xx, slow, drop, expired, malformed)",
                )
            })?;
            let (a, b) = window
                .split_once("..")
                .ok_or_else(|| bad(window, "expected FROM..TO"))?;
            let from = parse_time_spec(a, t0, tz).map_err(|e| bad(a, e))?;
            let to = parse_time_spec(b, t0, tz).map_err(|e| bad(b, e))?;
            if to <= from {
                return Err(bad(window, "the window must end after it starts"));
            }
            list.push(Fault {
                service,
                kind,
                from,
                to,
            });
        }
        Ok(Faults {
            list,
            ..Faults::default()
        })
    }

    /// The fault answering a call to `service` at `at`, if any.
    pub(crate) fn active(&self, service: Service, at: DateTime<Utc>) -> Option<FaultKind> {
        self.list
            .iter()
            .find(|f| f.service.is_none_or(|s| s == service) && at >= f.from && at < f.to)
            .map(|f| f.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-06-13T11:00:00Z")
            .expect("t0")
            .with_timezone(&Utc)
    }

    #[test]
    fn parses_services_kinds_and_windows() {
        let f = Faults::parse(
            "cloudwatch:throttle@T+5m..T+8m, elbv2:5xx@T+10m..T+12m,*:drop@T-1m..T+30s",
            t0(),
            chrono_tz::Asia::Seoul,
        )
        .expect("valid");
        assert_eq!(f.list.len(), 3);
        assert_eq!(f.list[0].service, Some(Service::CloudWatch));
        assert_eq!(f.list[0].from, t0() + TimeDelta::minutes(5));
        assert_eq!(f.list[0].to, t0() + TimeDelta::minutes(8));
        assert_eq!(f.list[1].kind, FaultKind::ServerError);
        let at = |s| t0() + TimeDelta::seconds(s);
        assert_eq!(
            f.active(Service::CloudWatch, at(300)),
            Some(FaultKind::Throttle)
        );
        assert_eq!(f.active(Service::CloudWatch, at(480)), None, "half-open");
        assert_eq!(f.active(Service::Logs, at(0)), Some(FaultKind::Drop));
        assert_eq!(f.active(Service::Logs, at(30)), None);
        assert_eq!(
            f.active(Service::Elbv2, at(659)),
            Some(FaultKind::ServerError)
        );
    }

    #[test]
    fn errors_name_the_offending_token() {
        let tz = chrono_tz::UTC;
        let e = Faults::parse("cloudwatch:melt@T..T+1m", t0(), tz).expect_err("kind");
        assert_eq!(e.token, "melt");
        let e = Faults::parse("s3:throttle@T..T+1m", t0(), tz).expect_err("service");
        assert_eq!(e.token, "s3");
        let e = Faults::parse("logs:slow@T+5m..T+1m", t0(), tz).expect_err("order");
        assert_eq!(e.token, "T+5m..T+1m");
        let e = Faults::parse("logs:slow", t0(), tz).expect_err("window");
        assert_eq!(e.token, "logs:slow");
        let e = Faults::parse("logs:slow@T+5m..soon", t0(), tz).expect_err("time");
        assert_eq!(e.token, "soon");
        assert!(e.to_string().contains("\"soon\""), "{e}");
    }
}
