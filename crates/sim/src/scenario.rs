//! The scenario variants the simulator can play: the reference flash sale and its branches for
//! tests and game days. Names are what `--scenario` accepts.

use std::fmt;
use std::str::FromStr;

/// A simulated scenario. All start from the same flash sale at the layout's `event.start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// The reference flash sale `army-drop-2000kst`.
    ArmyDrop,
    SharedDb,
    GaFailOpen,
    StaleData,
    WafFalsePositive,
    RdsMultiAzFailover,
    AlarmLatency,
}

const ALL: [Scenario; 7] = [
    Scenario::ArmyDrop,
    Scenario::SharedDb,
    Scenario::GaFailOpen,
    Scenario::StaleData,
    Scenario::WafFalsePositive,
    Scenario::RdsMultiAzFailover,
    Scenario::AlarmLatency,
];

impl Scenario {
    /// Every scenario, the reference first.
    pub fn list() -> &'static [Scenario] {
        &ALL
    }

    /// The name `--scenario` accepts.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scenario::ArmyDrop => "army-drop-2000kst",
            Scenario::SharedDb => "shared-db",
            Scenario::GaFailOpen => "ga-fail-open",
            Scenario::StaleData => "stale-data",
            Scenario::WafFalsePositive => "waf-false-positive",
            Scenario::RdsMultiAzFailover => "rds-multiaz-failover",
            Scenario::AlarmLatency => "alarm-latency",
        }
    }

    /// One line on what the scenario plays.
    pub fn description(self) -> &'static str {
        match self {
            Scenario::ArmyDrop => {
                "reference drop: bot wave, Seoul collapse, GA failover and flapping, recovery, normal at T+80m"
            }
            Scenario::SharedDb => {
                "root cause is the Seoul RDS at 100% CPU from T+8m: GA failover does not help, Virginia fails too"
            }
            Scenario::GaFailOpen => {
                "both endpoint groups UNHEALTHY T+9m40s..T+20m: GA fails open and still splits traffic"
            }
            Scenario::StaleData => {
                "reference drop, but CloudWatch returns no datapoints T+5m..T+9m (throttled, then ok)"
            }
            Scenario::WafFalsePositive => {
                "carrier-NAT buyers trip the WAF rate rule: blocks rise, checkout allowed falls"
            }
            Scenario::RdsMultiAzFailover => {
                "T+5m the RDS primary fails over: 90 s of DB errors, BTS-RDS-Failover alarm, no region failover"
            }
            Scenario::AlarmLatency => {
                "ASG reaches its max: alarm `alert` goes ALARM 5m48s after the breaching period starts"
            }
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A `--scenario` value that names no scenario.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scenario \"{given}\"; known: {known}")]
pub struct UnknownScenario {
    pub(crate) given: String,
    pub(crate) known: String,
}

impl FromStr for Scenario {
    type Err = UnknownScenario;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ALL.iter()
            .copied()
            .find(|x| x.name() == s)
            .ok_or_else(|| UnknownScenario {
                given: s.to_string(),
                known: ALL.iter().map(|x| x.name()).collect::<Vec<_>>().join(", "),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_errors() {
        for s in Scenario::list() {
            assert_eq!(s.to_string().parse::<Scenario>(), Ok(*s));
            assert!(!s.description().is_empty());
        }
        let e = "no-such-thing".parse::<Scenario>().expect_err("unknown");
        assert!(e.to_string().contains("no-such-thing"), "{e}");
        assert!(e.to_string().contains("army-drop-2000kst"), "{e}");
    }
}
