//! Alarms in the state fold: the latest state of every alarm by name (from `DescribeAlarms`),
//! replaced region by region as polls arrive.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::changes::{CHANGES_KEPT, Changes};
use crate::model::{AlarmInfo, AlarmSnapshot, AlarmState};

/// Alarms kept in all (a prefix matching thousands of alarms must not grow memory).
const ALARMS_KEPT: usize = 2000;
/// State changes kept per alarm.
const ALARM_STATES_KEPT: usize = 16;

/// One alarm as last polled.
#[derive(Debug, Clone)]
pub struct AlarmEntry {
    pub(crate) region: String,
    pub info: AlarmInfo,
    /// The alarm's state as it changed (at its `updated` time, at most the poll's).
    pub(crate) states: Changes<AlarmState>,
}

/// Every alarm by name, with per-region poll times and the firing count's history.
#[derive(Debug, Clone, Default)]
pub struct AlarmBook {
    alarms: BTreeMap<String, AlarmEntry>,
    polled: BTreeMap<String, DateTime<Utc>>,
    /// The number of alarms in ALARM as it changed; None before any poll.
    firing: Option<Changes<usize>>,
}

impl AlarmBook {
    /// Replaces the alarms of the snapshot's region; older snapshots are ignored.
    pub(crate) fn apply(&mut self, at: DateTime<Utc>, snap: &AlarmSnapshot) -> bool {
        if self.polled.get(&snap.region).is_some_and(|p| *p > at) {
            return false;
        }
        if self.polled.len() < 64 || self.polled.contains_key(&snap.region) {
            self.polled.insert(snap.region.clone(), at);
        }
        // The region's alarms are replaced; each keeps its history of states.
        let region: Vec<String> = (self.alarms.iter())
            .filter(|(_, a)| a.region == snap.region)
            .map(|(name, _)| name.clone())
            .collect();
        let mut before: BTreeMap<String, AlarmEntry> = (region.into_iter())
            .filter_map(|name| self.alarms.remove_entry(&name))
            .collect();
        for info in &snap.alarms {
            if self.alarms.len() >= ALARMS_KEPT {
                break;
            }
            let changed = info.updated.min(at);
            let states = match before.remove(&info.name) {
                Some(mut old) => {
                    old.states.record(changed, info.state);
                    old.states
                }
                None => Changes::new(changed, info.state, ALARM_STATES_KEPT),
            };
            self.alarms.insert(
                info.name.clone(),
                AlarmEntry {
                    region: snap.region.clone(),
                    info: info.clone(),
                    states,
                },
            );
        }
        let firing = self
            .alarms
            .values()
            .filter(|a| a.info.state == AlarmState::Alarm)
            .count();
        match &mut self.firing {
            Some(h) => {
                h.record(at, firing);
            }
            None => self.firing = Some(Changes::new(at, firing, CHANGES_KEPT)),
        }
        true
    }

    pub fn get(&self, name: &str) -> Option<&AlarmEntry> {
        self.alarms.get(name)
    }

    /// Every alarm, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = &AlarmEntry> {
        self.alarms.values()
    }

    /// Alarms in ALARM, sorted by name.
    pub fn firing(&self) -> impl Iterator<Item = &AlarmEntry> {
        self.alarms
            .values()
            .filter(|a| a.info.state == AlarmState::Alarm)
    }

    /// The number of alarms in ALARM as it changed; None before any poll.
    pub(crate) fn firing_count(&self) -> Option<&Changes<usize>> {
        self.firing.as_ref()
    }

    /// Time of the last poll of `region`.
    pub(crate) fn polled(&self, region: &str) -> Option<DateTime<Utc>> {
        self.polled.get(region).copied()
    }

    /// Time of the oldest of the latest polls across regions (None before any poll).
    pub(crate) fn oldest_poll(&self) -> Option<DateTime<Utc>> {
        self.polled.values().min().copied()
    }
}
