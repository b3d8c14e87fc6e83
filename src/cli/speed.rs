//! Playback pace: a factor of real time (`10`, `60x`) or `max`, as fast as the machine goes.

use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Speed {
    Factor(f64),
    Max,
}

impl FromStr for Speed {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        if t == "max" {
            return Ok(Speed::Max);
        }
        let n: f64 = t
            .trim_end_matches('x')
            .parse()
            .map_err(|_| format!("\"{s}\": expected a factor such as 10, 60x, or max"))?;
        if n.is_finite() && n > 0.0 {
            Ok(Speed::Factor(n))
        } else {
            Err(format!("\"{s}\": the speed must be above 0"))
        }
    }
}

impl std::fmt::Display for Speed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Speed::Max => f.write_str("max"),
            Speed::Factor(n) => write!(f, "x{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_factors_and_max() {
        assert_eq!("max".parse(), Ok(Speed::Max));
        assert_eq!("10".parse(), Ok(Speed::Factor(10.0)));
        assert_eq!("60x".parse(), Ok(Speed::Factor(60.0)));
        assert!("0".parse::<Speed>().is_err());
        assert!(
            "fast"
                .parse::<Speed>()
                .expect_err("bad")
                .contains("\"fast\"")
        );
    }
}
