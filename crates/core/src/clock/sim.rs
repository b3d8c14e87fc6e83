//! Game-day mode: the virtual clock of a `warroom sim serve` endpoint as a portable spec, so a
//! separate `warroom collect` (or a test) runs its pollers on the same virtual time as the
//! simulator. The spec is `SPEED,VIRTUAL,REAL`: the clock runs SPEED times faster than real time
//! and read VIRTUAL (RFC 3339) at the wall-clock time REAL (RFC 3339). `sim serve` prints it as
//! `WARROOM_SIM_CLOCK`, which `collect` and `watch` read (or `--sim-clock SPEC`).

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

use crate::clock::Clock;

/// The environment variable `sim serve` prints and `collect` reads.
pub const ENV: &str = "WARROOM_SIM_CLOCK";

/// The game-day clock from `--sim-clock` or else `WARROOM_SIM_CLOCK` (unset or empty: None,
/// the wall clock). `who` names the command on the stderr line that says virtual time is on.
pub fn from_arg_or_env(arg: Option<&str>, who: &str) -> Result<Option<Clock>, String> {
    let spec = arg
        .map(str::to_string)
        .or_else(|| std::env::var(ENV).ok().filter(|s| !s.is_empty()));
    let Some(spec) = spec else {
        return Ok(None);
    };
    let clock = parse(&spec)?;
    eprintln!(
        "warroom {who}: game-day mode, virtual time {} at x{}",
        clock.now().to_rfc3339_opts(SecondsFormat::Secs, true),
        clock.speed()
    );
    Ok(Some(clock))
}

/// The spec of `clock` as it reads now.
pub fn spec(clock: &Clock) -> String {
    format!(
        "{},{},{}",
        clock.speed(),
        clock.now().to_rfc3339_opts(SecondsFormat::Millis, true),
        Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
    )
}

/// The clock a spec describes, reading the same virtual time as the clock it was made from.
pub fn parse(spec: &str) -> Result<Clock, String> {
    let bad =
        |why: &str| format!("{ENV} / --sim-clock {spec:?}: {why} (expected SPEED,VIRTUAL,REAL)");
    let mut parts = spec.trim().split(',');
    let (Some(speed), Some(virt), Some(real), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("three comma-separated fields"));
    };
    let speed: f64 = speed
        .trim()
        .trim_end_matches('x')
        .parse()
        .map_err(|_| bad("SPEED is not a number"))?;
    if !(speed.is_finite() && speed > 0.0) {
        return Err(bad("SPEED must be positive"));
    }
    let time = |s: &str, what: &str| {
        DateTime::parse_from_rfc3339(s.trim())
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| bad(&format!("{what}: {e}")))
    };
    let (virt, real) = (time(virt, "VIRTUAL")?, time(real, "REAL")?);
    Ok(anchored(virt, real, speed, Utc::now()))
}

/// A clock reading `virt` at wall time `real`, running `speed` times faster, as of wall time
/// `now`.
fn anchored(virt: DateTime<Utc>, real: DateTime<Utc>, speed: f64, now: DateTime<Utc>) -> Clock {
    let elapsed_ms = (now - real).num_milliseconds() as f64 * speed;
    let at = virt + TimeDelta::milliseconds(elapsed_ms.round() as i64);
    Clock::starting_at(at).with_speed(speed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_spec_reads_the_virtual_time_of_its_clock() {
        let c = Clock::starting_at(t("2026-06-13T10:55:00Z")).with_speed(60.0);
        let back = parse(&spec(&c)).expect("parses");
        assert!((back.speed() - 60.0).abs() < f64::EPSILON);
        let drift = (back.now() - c.now()).num_milliseconds().abs();
        assert!(drift < 3_000, "{drift} ms of virtual time apart");
    }

    #[test]
    fn virtual_time_advances_speed_times_the_wall_time_since_real() {
        let c = anchored(
            t("2026-06-13T10:55:00Z"),
            t("2026-11-23T12:00:00Z"),
            10.0,
            t("2026-11-23T12:00:06Z"),
        );
        let d = (c.now() - t("2026-06-13T10:56:00Z")).num_milliseconds();
        assert!((0..1_000).contains(&d), "{d}");
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        assert!(parse("60").expect_err("fields").contains("three"));
        assert!(
            parse("fast,2026-06-13T10:55:00Z,2026-06-13T10:55:00Z")
                .expect_err("speed")
                .contains("SPEED")
        );
        assert!(
            parse("0,2026-06-13T10:55:00Z,2026-06-13T10:55:00Z")
                .expect_err("speed")
                .contains("positive")
        );
        assert!(
            parse("60,soon,2026-06-13T10:55:00Z")
                .expect_err("virtual")
                .contains("VIRTUAL")
        );
    }
}
