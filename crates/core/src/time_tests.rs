//! Unit tests of the `time` module, kept beside it.

use super::*;

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-13T20:00:00+09:00")
        .expect("valid")
        .with_timezone(&Utc)
}

#[test]
fn durations_parse_and_format() {
    for (text, secs) in [
        ("90s", 90),
        ("3m", 180),
        ("1h", 3600),
        ("1h30m", 5400),
        ("2h15m30s", 8130),
    ] {
        assert_eq!(
            parse_duration(text),
            Some(TimeDelta::seconds(secs)),
            "{text}"
        );
    }
    for bad in ["", "m", "3", "3x", "1m1h", "1h1h", "-3m", "0"] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
    assert_eq!(format_duration(TimeDelta::seconds(5400)), "1h30m");
    assert_eq!(format_duration(TimeDelta::seconds(45)), "45s");
    assert_eq!(format_duration(TimeDelta::zero()), "0s");
}

#[test]
fn t_labels() {
    assert_eq!(t_label(t0() + TimeDelta::seconds(462), t0()), "T+07:42");
    assert_eq!(t_label(t0() - TimeDelta::seconds(312), t0()), "T-05:12");
    assert_eq!(t_label(t0() + TimeDelta::seconds(3723), t0()), "T+1:02:03");
}

#[test]
fn time_specs() {
    let tz: Tz = "Asia/Seoul".parse().expect("tz");
    assert_eq!(parse_time_spec("T0", t0(), tz), Ok(t0()));
    assert_eq!(
        parse_time_spec("T-60m", t0(), tz),
        Ok(t0() - TimeDelta::hours(1))
    );
    assert_eq!(
        parse_time_spec("+3h", t0(), tz),
        Ok(t0() + TimeDelta::hours(3))
    );
    assert_eq!(
        parse_time_spec("20:05", t0(), tz),
        Ok(t0() + TimeDelta::minutes(5))
    );
    assert_eq!(
        parse_time_spec("19:55:30", t0(), tz),
        Ok(t0() - TimeDelta::seconds(270))
    );
    assert_eq!(parse_time_spec("2026-06-13T11:00:00Z", t0(), tz), Ok(t0()));
    // A date on the event's clock; a time alone on the day of the reference given.
    assert_eq!(
        parse_time_spec("2026-06-15 20:05", t0(), tz),
        Ok(t0() + TimeDelta::days(2) + TimeDelta::minutes(5))
    );
    assert_eq!(
        parse_time_spec_near("20:05", t0(), t0() + TimeDelta::days(3), tz),
        Ok(t0() + TimeDelta::days(3) + TimeDelta::minutes(5))
    );
    assert!(
        parse_time_spec("tomorrow", t0(), tz)
            .expect_err("bad")
            .contains("\"tomorrow\"")
    );
    assert!(parse_time_spec("T+3x", t0(), tz).is_err());
    assert_eq!(
        parse_time_spec("T+09:40", t0(), tz),
        Ok(t0() + TimeDelta::seconds(580))
    );
    assert_eq!(
        parse_time_spec("T+1:22:03", t0(), tz),
        Ok(t0() + TimeDelta::seconds(4923))
    );
    assert_eq!(
        parse_time_spec("T-05:12", t0(), tz),
        Ok(t0() - TimeDelta::seconds(312))
    );
    assert!(parse_time_spec("T+09:75", t0(), tz).is_err());
}
