//! The names an expression may use in a layout (series ids, target-group counts, Global
//! Accelerator groups and dials, alarms) and how one name resolves, with "did you mean" hints
//! for unknown ones.

use super::error::ExprError;
use super::expr::{RefTarget, TargetCountKind};
use super::layout::Layout;
use super::suggest::closest_n;

/// The names of a layout that expressions may use.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Series ids with whether they have a baseline.
    pub(crate) series: Vec<(String, bool)>,
    pub(crate) target_groups: Vec<String>,
    /// Accelerator ids with their endpoint-group regions.
    pub(crate) accelerators: Vec<(String, Vec<String>)>,
}

impl Names {
    pub(crate) fn from_layout(layout: &Layout) -> Self {
        Names {
            series: layout
                .series
                .iter()
                .map(|s| (s.id.clone(), s.baseline.is_some()))
                .collect(),
            target_groups: layout.target_groups.iter().map(|t| t.id.clone()).collect(),
            accelerators: layout
                .accelerators
                .iter()
                .map(|a| {
                    let regions = a.endpoint_groups.iter().map(|g| g.region.clone()).collect();
                    (a.id.clone(), regions)
                })
                .collect(),
        }
    }

    /// Every name an expression may use (alarms as `alarm.<name>`), for hints.
    pub(crate) fn all(&self) -> Vec<String> {
        let mut out: Vec<String> = self.series.iter().map(|(s, _)| s.clone()).collect();
        for tg in &self.target_groups {
            for k in COUNT_KINDS {
                out.push(format!("{tg}.{k}"));
            }
        }
        for (acc, regions) in &self.accelerators {
            for r in regions {
                out.push(format!("{acc}.{r}"));
                out.push(format!("{acc}.{r}.dial"));
            }
        }
        out.push("alarms.firing".into());
        out
    }
}

const COUNT_KINDS: [&str; 6] = [
    "healthy",
    "unhealthy",
    "initial",
    "draining",
    "unused",
    "total",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Vocab {
    Ga,
    Alarm,
}

impl Vocab {
    pub(crate) fn of_const(name: &str) -> Vocab {
        if matches!(name, "OK" | "ALARM" | "INSUFFICIENT_DATA") {
            Vocab::Alarm
        } else {
            Vocab::Ga
        }
    }

    pub(crate) fn states(self) -> &'static str {
        match self {
            Vocab::Ga => "HEALTHY, UNHEALTHY or INITIAL",
            Vocab::Alarm => "OK, ALARM or INSUFFICIENT_DATA",
        }
    }
}

/// What a name refers to, with its state vocabulary if it is a health state (numbers: `None`).
pub(crate) fn lookup(
    names: &Names,
    name: &str,
    at: usize,
    math: bool,
) -> Result<(RefTarget, Option<Vocab>), ExprError> {
    if let Some(i) = names.series.iter().position(|(s, _)| s == name) {
        return Ok((RefTarget::Series(i), None));
    }
    if name == "alarms.firing" {
        return Ok((RefTarget::AlarmsFiring, None));
    }
    if let Some(alarm) = name.strip_prefix("alarm.").filter(|a| !a.is_empty()) {
        return Ok((RefTarget::Alarm(alarm.to_string()), Some(Vocab::Alarm)));
    }
    for (tg, id) in names.target_groups.iter().enumerate() {
        let Some(kind) = name
            .strip_prefix(id.as_str())
            .and_then(|r| r.strip_prefix('.'))
        else {
            continue;
        };
        let which = match kind {
            "healthy" => TargetCountKind::Healthy,
            "unhealthy" => TargetCountKind::Unhealthy,
            "initial" => TargetCountKind::Initial,
            "draining" => TargetCountKind::Draining,
            "total" => TargetCountKind::Total,
            "unused" => TargetCountKind::Unused,
            _ => continue,
        };
        return Ok((RefTarget::TargetCount { tg, which }, None));
    }
    for (acc, (id, regions)) in names.accelerators.iter().enumerate() {
        let Some(rest) = name
            .strip_prefix(id.as_str())
            .and_then(|r| r.strip_prefix('.'))
        else {
            continue;
        };
        let (region, dial) = match rest.strip_suffix(".dial") {
            Some(r) => (r, true),
            None => (rest, false),
        };
        if regions.iter().any(|r| r == region) {
            let region = region.to_string();
            return Ok(if dial {
                (RefTarget::GaGroupDial { acc, region }, None)
            } else {
                (RefTarget::GaGroupHealth { acc, region }, Some(Vocab::Ga))
            });
        }
        if super::load_checks::looks_like_region(region) {
            return Err(ExprError::new(
                at,
                name,
                format!("accelerator \"{id}\" has no endpoint group in \"{region}\""),
                format!("its endpoint groups: {}", regions.join(", ")),
            ));
        }
    }
    Err(unknown(names, name, at, math))
}

fn unknown(names: &Names, name: &str, at: usize, math: bool) -> ExprError {
    let all = if math {
        names.series.iter().map(|(s, _)| s.clone()).collect()
    } else {
        names.all()
    };
    let close = closest_n(name, all.iter().map(String::as_str), 3);
    let hint = if close.is_empty() {
        let mut kinds = vec!["series ids".to_string()];
        if let Some(tg) = names.target_groups.first() {
            kinds.push(format!(
                "{tg}.healthy|unhealthy|initial|draining|unused|total"
            ));
        }
        if let Some((acc, regions)) = names.accelerators.first() {
            let r = regions.first().map_or("REGION", String::as_str);
            kinds.push(format!("{acc}.{r} and {acc}.{r}.dial"));
        }
        kinds.push("alarm.NAME, alarms.firing".into());
        format!("names are {}", kinds.join("; "))
    } else {
        format!("did you mean {}?", close.join(", "))
    };
    let what = if math { "series" } else { "name" };
    ExprError::new(at, name, format!("unknown {what} \"{name}\""), hint)
}
