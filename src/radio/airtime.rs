//! Capacity by airtime: what a room's devices ask of the air, what one AP's channel gives
//! at the room's SINR and width, and so how many APs the room needs (DESIGN.md §5).
//!
//! A room asks occupants × devices per occupant × Mbit/s per device. One AP gives the
//! design client's PHY rate at the SINR ([`super::mcs::rate_mbps`]) times the MAC
//! efficiency (what aggregated 802.11ax frames keep of the PHY rate) times the
//! channel-utilisation ceiling (the airtime a channel can be loaded to before latency
//! grows). The APs a room needs are the demand over that, rounded up.

use super::mcs;
use crate::plan::RoomKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the devices of a room kind ask.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceDemand {
    /// Devices per occupant [1] (a 1:1 laptop classroom with phones: 1.3).
    pub devices_per_occupant: f64,
    /// Sustained throughput per device [Mbit/s].
    pub mbps_per_device: f64,
}

/// The airtime model's settings, in `REQ.ron` as `airtime`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Airtime {
    /// Channel-utilisation ceiling [1].
    pub utilisation: f64,
    /// Share of the PHY rate left after the MAC's overheads [1].
    pub mac_efficiency: f64,
    /// Demand per room kind; kinds not listed take [`Airtime::default_demand`].
    pub demand: BTreeMap<RoomKind, DeviceDemand>,
    /// Active devices one AP associates at most, both radios together [1]: where devices
    /// ask little each (a canteen's phones), their count, not their airtime, decides —
    /// contention and management overhead grow with it, and high-density guides keep a
    /// radio to a few dozen active clients.
    pub max_devices_per_ap: f64,
}

impl Default for Airtime {
    fn default() -> Airtime {
        Airtime { utilisation: 0.7, mac_efficiency: 0.75, demand: BTreeMap::new(), max_devices_per_ap: 60.0 }
    }
}

/// A room's airtime figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RoomAirtime {
    /// What its devices ask [Mbit/s].
    pub demand_mbps: f64,
    /// What one AP gives at the room's SINR and width, within the ceiling [Mbit/s].
    pub supply_mbps: f64,
    /// APs the room needs: for its airtime, and for its devices' count
    /// ([`Airtime::max_devices_per_ap`]); `None` where the SINR supports no MCS at all.
    pub aps_needed: Option<u32>,
}

impl Airtime {
    /// The default demand of a room kind: teaching rooms 1.3 devices at 3 Mbit/s (a 1:1
    /// laptop classroom), offices 1.5 at 2, circulation and the rest 0.5 at 1.
    pub fn default_demand(kind: RoomKind) -> DeviceDemand {
        use RoomKind::*;
        let (devices_per_occupant, mbps_per_device) = match kind {
            Classroom | Lab | Workshop | Library => (1.3, 3.0),
            Office | Dormitory => (1.5, 2.0),
            _ => (0.5, 1.0),
        };
        DeviceDemand { devices_per_occupant, mbps_per_device }
    }

    /// The demand of a room kind: the configured one, else the default.
    pub fn demand_of(&self, kind: RoomKind) -> DeviceDemand {
        self.demand.get(&kind).copied().unwrap_or(Airtime::default_demand(kind))
    }

    /// A room of `kind` with `occupants`, served at `sinr_db` [dB] on `width_mhz` [MHz]
    /// channels.
    pub fn room(&self, kind: RoomKind, occupants: u32, sinr_db: f64, width_mhz: u32) -> RoomAirtime {
        let d = self.demand_of(kind);
        let devices = f64::from(occupants) * d.devices_per_occupant;
        let demand_mbps = devices * d.mbps_per_device;
        let supply_mbps = mcs::rate_mbps(sinr_db, width_mhz) * self.mac_efficiency * self.utilisation;
        let by_count = (devices / self.max_devices_per_ap - 1e-9).ceil().max(0.0) as u32;
        let aps_needed = if demand_mbps <= 0.0 {
            Some(by_count)
        } else {
            (supply_mbps > 0.0).then(|| ((demand_mbps / supply_mbps - 1e-9).ceil() as u32).max(by_count))
        };
        RoomAirtime { demand_mbps, supply_mbps, aps_needed }
    }

    /// Everything wrong with the settings, one message each.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, v) in [("airtime.utilisation", self.utilisation), ("airtime.mac_efficiency", self.mac_efficiency)] {
            if !(v > 0.0 && v <= 1.0) {
                out.push(format!("{name} {v} must lie in (0, 1]"));
            }
        }
        if !(self.max_devices_per_ap.is_finite() && self.max_devices_per_ap >= 1.0) {
            out.push(format!("airtime.max_devices_per_ap {} must be at least 1", self.max_devices_per_ap));
        }
        for (kind, d) in &self.demand {
            let ok = |v: f64| v.is_finite() && v >= 0.0;
            if !(ok(d.devices_per_occupant) && ok(d.mbps_per_device)) {
                out.push(format!("airtime.demand of {kind:?}: devices and Mbit/s must be finite and ≥ 0"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_35_pupil_laptop_classroom_needs_one_ap_at_good_sinr_and_two_at_mcs_3() {
        let a = Airtime::default();
        // Demand: 35 pupils × 1.3 devices × 3 Mbit/s = 136.5 Mbit/s.
        // 40 MHz, SINR 40 dB: MCS 11, 143.4 Mbit/s × 2 (40 MHz) × 2 streams = 573.6 Mbit/s
        // PHY, × 0.75 MAC × 0.7 ceiling = 301.1 Mbit/s: one AP.
        let good = a.room(RoomKind::Classroom, 35, 40.0, 40);
        assert!((good.demand_mbps - 136.5).abs() < 1e-9);
        assert!((good.supply_mbps - 301.14).abs() < 0.01, "{}", good.supply_mbps);
        assert_eq!(good.aps_needed, Some(1));
        // SINR 15 dB: MCS 3, 34.4 × 2 × 2 = 137.6 Mbit/s PHY, × 0.525 = 72.24 Mbit/s:
        // ⌈136.5 / 72.24⌉ = 2 APs.
        let poor = a.room(RoomKind::Classroom, 35, 15.0, 40);
        assert!((poor.supply_mbps - 72.24).abs() < 0.01, "{}", poor.supply_mbps);
        assert_eq!(poor.aps_needed, Some(2));
        // A 300-seat canteen: 150 phones at 1 Mbit/s fit one AP's airtime (150 Mbit/s at
        // 40 MHz and 40 dB), but not its 60 devices: three.
        assert_eq!(a.room(RoomKind::Canteen, 300, 40.0, 40).aps_needed, Some(3));
        // Below MCS 0 no number of APs serves it; an empty room needs none.
        assert_eq!(a.room(RoomKind::Classroom, 35, 2.0, 40).aps_needed, None);
        assert_eq!(a.room(RoomKind::Classroom, 0, 2.0, 40).aps_needed, Some(0));
    }

    #[test]
    fn configured_kinds_replace_the_default_and_bad_numbers_are_named() {
        let mut a = Airtime::default();
        a.demand.insert(RoomKind::Lab, DeviceDemand { devices_per_occupant: 2.0, mbps_per_device: 5.0 });
        assert!((a.room(RoomKind::Lab, 10, 40.0, 20).demand_mbps - 100.0).abs() < 1e-9);
        assert!((a.room(RoomKind::Classroom, 10, 40.0, 20).demand_mbps - 39.0).abs() < 1e-9);
        a.utilisation = 1.2;
        a.demand.insert(RoomKind::Office, DeviceDemand { devices_per_occupant: -1.0, mbps_per_device: 1.0 });
        let p = a.problems();
        assert!(p.iter().any(|m| m.contains("airtime.utilisation 1.2")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("Office")), "{p:?}");
    }
}
