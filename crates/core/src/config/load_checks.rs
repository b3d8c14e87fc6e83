//! Small value checks of the layout loader: AWS region names, `CloudWatch` periods, statistics and
//! dimensions, enumerated keywords. Pure functions, each returning a message and hint on error.

/// A problem with one value: message (quoting the value) and hint.
pub(crate) type Problem = (String, String);

/// `ap-northeast-2`, `us-east-1`, `us-gov-west-1`, `eu-central-2`, `cn-north-1`...
pub(crate) fn looks_like_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    (3..=4).contains(&parts.len())
        && first.len() == 2
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && !last.is_empty()
        && last.len() <= 2
        && last.chars().all(|c| c.is_ascii_digit())
}

pub(crate) fn check_region(s: &str) -> Result<(), Problem> {
    if looks_like_region(s) {
        Ok(())
    } else {
        Err((
            format!("invalid AWS region \"{s}\""),
            "regions look like ap-northeast-2, us-east-1, eu-west-1".into(),
        ))
    }
}

/// `CloudWatch` periods: 60 or a multiple of 60; 1, 5, 10, 20 or 30 for high-resolution metrics.
pub(crate) fn check_period(p: i64) -> Result<u32, Problem> {
    let ok = matches!(p, 1 | 5 | 10 | 20 | 30) || (p >= 60 && p % 60 == 0);
    match u32::try_from(p) {
        Ok(v) if ok => Ok(v),
        _ => Err((
            format!("invalid period \"{p}\""),
            "periods are seconds: 60 or a multiple of 60 (1, 5, 10, 20, 30 for high-resolution metrics)".into(),
        )),
    }
}

/// `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount`, `IQM`, `pNN`, `pNN.NN`, and
/// CloudWatch's other statistics: trimmed mean, winsorized mean, trimmed count and trimmed sum
/// as `tm99` (`TM99`) or `TM(10%:90%)`, `TM(150:1000)`, `TM(:95%)`, and percentile rank as
/// `PR(:300)` or `PR(100:2000)` (absolute bounds only). Passed to `GetMetricData` as written.
pub(crate) fn check_stat(s: &str) -> Result<(), Problem> {
    const NAMED: [&str; 6] = ["Sum", "Average", "Minimum", "Maximum", "SampleCount", "IQM"];
    if NAMED.contains(&s) || is_percentile(s) || is_trimmed(s) {
        return Ok(());
    }
    let forms =
        "pNN or pNN.NN (p99, p99.9), tm99, wm99, tc99, ts99, TM(10%:90%), TM(150:1000), PR(:300)";
    let hint = match super::suggest::closest(s, NAMED) {
        Some(c) => format!(
            "did you mean {c}? statistics are {}, {forms}",
            NAMED.join(", ")
        ),
        None => format!("statistics are {}, {forms}", NAMED.join(", ")),
    };
    Err((format!("invalid statistic \"{s}\""), hint))
}

fn is_percentile(s: &str) -> bool {
    let Some(num) = s.strip_prefix('p') else {
        return false;
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    let digits = |t: &str, max: usize| t.len() <= max && t.chars().all(|c| c.is_ascii_digit());
    let ok_frac = !num.contains('.') || (!frac.is_empty() && digits(frac, 2));
    !int.is_empty() && digits(int, 3) && ok_frac && num.parse::<f64>().is_ok_and(|v| v <= 100.0)
}

/// A plain decimal (`90`, `99.5`, `0.001`): digits, at most one point, up to 10 decimals.
fn decimal(t: &str) -> Option<f64> {
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |x: &str| x.chars().all(|c| c.is_ascii_digit());
    let ok = !int.is_empty()
        && digits(int)
        && digits(frac)
        && frac.len() <= 10
        && (!t.contains('.') || !frac.is_empty());
    ok.then(|| t.parse().ok()).flatten()
}

/// `tm99`/`TM99` (and `wm`, `tc`, `ts`), or `TM(a:b)`/`WM`/`TC`/`TS` with percentages or
/// absolute bounds, or `PR(a:b)` with absolute bounds; one bound may be left out.
fn is_trimmed(s: &str) -> bool {
    let Some((name, rest)) = s.split_at_checked(2) else {
        return false;
    };
    let name = name.to_ascii_uppercase();
    let trimmed = ["TM", "WM", "TC", "TS"].contains(&name.as_str());
    if let Some(v) = decimal(rest) {
        return trimmed && v > 0.0 && v <= 100.0;
    }
    let Some((lo, hi)) = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|r| r.split_once(':'))
    else {
        return false;
    };
    if !(trimmed || name == "PR") || (lo.is_empty() && hi.is_empty()) {
        return false;
    }
    let percent = lo.ends_with('%') || hi.ends_with('%');
    let bound = |b: &str| -> Option<Option<f64>> {
        if b.is_empty() {
            return Some(None);
        }
        let v = if percent {
            decimal(b.strip_suffix('%')?).filter(|v| *v <= 100.0)?
        } else {
            decimal(b)?
        };
        Some(Some(v))
    };
    match (bound(lo), bound(hi)) {
        (Some(a), Some(b)) => !(percent && name == "PR") && a.zip(b).is_none_or(|(a, b)| a < b),
        _ => false,
    }
}

/// Picks one of `choices` (exact match), or explains.
pub(crate) fn choose<T: Copy>(what: &str, s: &str, choices: &[(&str, T)]) -> Result<T, Problem> {
    if let Some((_, v)) = choices.iter().find(|(name, _)| *name == s) {
        return Ok(*v);
    }
    let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
    Err((
        format!("invalid {what} \"{s}\""),
        format!("expected one of: {}", names.join(", ")),
    ))
}

/// A 12-digit AWS account number.
pub(crate) fn check_account_id(s: &str) -> Result<(), Problem> {
    if s.len() == 12 && s.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err((
            format!("invalid AWS account id \"{s}\""),
            "account ids are 12 digits, e.g. 123456789012".into(),
        ))
    }
}

pub(crate) fn check_role_arn(s: &str) -> Result<(), Problem> {
    if s.starts_with("arn:aws") && s.contains(":iam::") && s.contains(":role/") {
        Ok(())
    } else {
        Err((
            format!("invalid role ARN \"{s}\""),
            "role ARNs look like arn:aws:iam::123456789012:role/warroom-read".into(),
        ))
    }
}

/// Ids are used in expressions: they must be valid names there.
pub(crate) fn check_id(s: &str) -> Result<(), Problem> {
    let ok = s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(super::expr_lex::is_name_char)
        && !s.ends_with(['.', '-']);
    if ok {
        Ok(())
    } else {
        Err((
            format!("invalid id \"{s}\""),
            "ids start with a lower-case letter and use letters, digits, `_`, `.` and `-` (e.g. seoul.requests)".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for ok in [
            "ap-northeast-2",
            "us-east-1",
            "us-gov-west-1",
            "eu-central-2",
            "il-central-1",
        ] {
            assert!(looks_like_region(ok), "{ok}");
        }
        for bad in [
            "seoul",
            "ap-northeast",
            "AP-NORTHEAST-2",
            "us-east-1a",
            "useast1",
            "us--1",
            "",
        ] {
            assert!(!looks_like_region(bad), "{bad}");
        }
    }

    #[test]
    fn periods() {
        for ok in [1, 5, 10, 20, 30, 60, 120, 300, 3600] {
            assert!(check_period(ok).is_ok(), "{ok}");
        }
        for bad in [0, -60, 2, 45, 90, 61] {
            assert!(check_period(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stats() {
        for ok in [
            "Sum",
            "Average",
            "Minimum",
            "Maximum",
            "SampleCount",
            "p99",
            "p50",
            "p99.9",
            "p99.99",
            "p100",
        ] {
            assert!(check_stat(ok).is_ok(), "{ok}");
        }
        for ok in [
            "IQM",
            "tm99",
            "TM99",
            "tm99.5",
            "wm90",
            "TC99",
            "ts50",
            "TM(10%:90%)",
            "TM(2%:98%)",
            "TM(150:1000)",
            "TM(:95%)",
            "tm(5%:)",
            "WM(10%:90%)",
            "TC(:0.5)",
            "TS(1:2)",
            "PR(:300)",
            "PR(100:2000)",
        ] {
            assert!(check_stat(ok).is_ok(), "{ok}");
        }
        for bad in [
            "sum",
            "Avg",
            "p",
            "p999",
            "p99.999",
            "p99.",
            "P99",
            "p101",
            "TM",
            "tm0",
            "tm101",
            "TM()",
            "TM(:)",
            "TM(90%:10%)",
            "TM(10%:200%)",
            "TM(10:90",
            "TM10%:90%)",
            "PR(10%:90%)",
            "PR99",
            "XX(1:2)",
            "TM(a:b)",
            "tm99.",
            "TM(1:2:3)",
        ] {
            assert!(check_stat(bad).is_err(), "{bad}");
        }
        let (_, hint) = check_stat("Averge").expect_err("typo");
        assert!(hint.starts_with("did you mean Average?"), "{hint}");
    }

    #[test]
    fn ids_and_accounts() {
        assert!(check_id("seoul.requests").is_ok());
        assert!(check_id("ga").is_ok());
        assert!(check_id("Seoul").is_err());
        assert!(check_id("a b").is_err());
        assert!(check_account_id("489851543453").is_ok());
        assert!(check_account_id("4898").is_err());
        assert!(check_role_arn("arn:aws:iam::123456789012:role/x").is_ok());
        assert!(check_role_arn("role/x").is_err());
        assert_eq!(choose("unit", "count", &[("count", 1), ("none", 2)]), Ok(1));
        assert!(choose("unit", "cnt", &[("count", 1)]).is_err());
    }
}
