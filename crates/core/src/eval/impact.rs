//! An incident's impact, one way for every reader (the hourly and final summaries, the report's
//! time to resolve): it starts when the room says (`impact_start`), else when the data went RED
//! around the incident's opening, else at the opening; it ends at the resolution.

use chrono::{DateTime, Utc};

use crate::store::Incident;

/// When the impact of `i` started. `red` are the periods the data was RED (`from`, `to`; an
/// open one ends at the time of reading): the one in force when the incident was opened, else
/// the first that started after the opening and before the resolution. Not a runbook step's
/// firing: a step may fire for something else.
pub fn impact_start(
    i: &Incident,
    red: impl IntoIterator<Item = (DateTime<Utc>, DateTime<Utc>)>,
) -> DateTime<Utc> {
    if let Some(t) = i.fields.impact_start {
        return t;
    }
    let opened = i.opened.at;
    let mut after: Option<DateTime<Utc>> = None;
    for (from, to) in red {
        if from <= opened && opened <= to {
            return from;
        }
        if from > opened && i.resolved.is_none_or(|r| from < r) {
            after = Some(after.map_or(from, |a| a.min(from)));
        }
    }
    after.unwrap_or(opened)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IncidentFields;
    use crate::store::Mark;
    use chrono::TimeDelta;

    fn at(min: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).expect("time") + TimeDelta::minutes(min)
    }

    fn incident(opened: i64, resolved: Option<i64>, given: Option<i64>) -> Incident {
        Incident {
            id: "INC-1".into(),
            opened: Mark {
                who: "kim".into(),
                at: at(opened),
            },
            updated: at(opened),
            updated_by: "kim".into(),
            version: 1,
            fields: IncidentFields {
                impact_start: given.map(at),
                ..IncidentFields::default()
            },
            resolved: resolved.map(at),
        }
    }

    #[test]
    fn the_impact_starts_when_the_data_went_red_around_the_opening() {
        let red = [(at(2), at(4)), (at(9), at(30)), (at(60), at(70))];
        // Opened during the RED period from minute 9: the impact starts then.
        assert_eq!(impact_start(&incident(12, Some(50), None), red), at(9));
        // Opened before the data went RED: the first RED period before the resolution.
        assert_eq!(impact_start(&incident(7, Some(50), None), red), at(9));
        // No RED period around it: the opening.
        assert_eq!(impact_start(&incident(40, Some(50), None), red), at(40));
        // The room's own start wins.
        assert_eq!(impact_start(&incident(12, None, Some(5)), red), at(5));
    }
}
