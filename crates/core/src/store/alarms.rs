//! Alarms in the state fold: the latest state of every alarm by name (from `DescribeAlarms`),
//! replaced region by region as polls arrive.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::model::{AlarmInfo, AlarmSnapshot, AlarmState};

/// Alarms kept in all (a prefix matching thousands of alarms must not grow memory).
const ALARMS_KEPT: usize = 2000;

/// One alarm as last polled.
#[derive(Debug, Clone)]
pub struct AlarmEntry {
    pub(crate) region: String,
    pub info: AlarmInfo,
}

/// Every alarm by name, with per-region poll times and the firing count's history.
#[derive(Debug, Clone, Default)]
pub struct AlarmBook {
    alarms: BTreeMap<String, AlarmEntry>,
    polled: BTreeMap<String, DateTime<Utc>>,
    firing: usize,
    firing_since: Option<DateTime<Utc>>,
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
        self.alarms.retain(|_, a| a.region != snap.region);
        for info in &snap.alarms {
            if self.alarms.len() >= ALARMS_KEPT {
                break;
            }
            self.alarms.insert(
                info.name.clone(),
                AlarmEntry {
                    region: snap.region.clone(),
                    info: info.clone(),
                },
            );
        }
        let firing = self
            .alarms
            .values()
            .filter(|a| a.info.state == AlarmState::Alarm)
            .count();
        if self.firing_since.is_none() || firing != self.firing {
            self.firing = firing;
            self.firing_since = Some(at);
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

    /// Number of alarms in ALARM and since when that number holds; None before any poll.
    pub(crate) fn firing_count(&self) -> Option<(usize, DateTime<Utc>)> {
        self.firing_since.map(|s| (self.firing, s))
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
