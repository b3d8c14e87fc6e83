//! What CloudWatch keeps and what one `GetMetricData` call may carry, in one place for the
//! clients that cut their calls to fit (backfill) and the simulator endpoint that answers as
//! AWS does: 1-minute data is kept 15 days, 5-minute 63 days, 1-hour 455 days, high-resolution
//! (under a minute) 3 hours; for a start more than 3 hours ago the period must be a multiple of
//! 60, 300 or 3600 s or nothing comes back; a call returns at most 100,800 datapoints.

use chrono::TimeDelta;

/// Datapoints one `GetMetricData` call may return (estimated: window / period per query).
pub const MAX_DATAPOINTS_PER_CALL: i64 = 100_800;

/// The multiple the period must be of, for data starting `age` ago.
pub fn period_multiple(age: TimeDelta) -> u32 {
    if age <= TimeDelta::hours(3) {
        1
    } else if age <= TimeDelta::days(15) {
        60
    } else if age <= TimeDelta::days(63) {
        300
    } else {
        3600
    }
}

/// How long CloudWatch keeps datapoints of `period` seconds (older ones are gone at that
/// period).
pub fn retention(period: u32) -> TimeDelta {
    if period < 60 {
        TimeDelta::hours(3)
    } else if period.is_multiple_of(3600) {
        TimeDelta::days(455)
    } else if period.is_multiple_of(300) {
        TimeDelta::days(63)
    } else {
        TimeDelta::days(15)
    }
}

/// The unit CloudWatch rounds a `StartTime` down to, for a start `age` ago.
pub fn start_rounding(age: TimeDelta) -> i64 {
    if age > TimeDelta::days(63) {
        3600
    } else if age > TimeDelta::days(15) {
        300
    } else {
        60
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_tables() {
        assert_eq!(period_multiple(TimeDelta::hours(3)), 1);
        assert_eq!(period_multiple(TimeDelta::hours(4)), 60);
        assert_eq!(period_multiple(TimeDelta::days(20)), 300);
        assert_eq!(period_multiple(TimeDelta::days(64)), 3600);
        assert_eq!(retention(10), TimeDelta::hours(3));
        assert_eq!(retention(60), TimeDelta::days(15));
        assert_eq!(retention(120), TimeDelta::days(15));
        assert_eq!(retention(600), TimeDelta::days(63));
        assert_eq!(retention(7200), TimeDelta::days(455));
        assert_eq!(start_rounding(TimeDelta::days(1)), 60);
        assert_eq!(start_rounding(TimeDelta::days(16)), 300);
        assert_eq!(start_rounding(TimeDelta::days(64)), 3600);
    }
}
