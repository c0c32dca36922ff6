//! Radios: access points and the `aps.ron` format ([`aps`]), antenna patterns ([`antenna`]), AP models ([`models`]), and the European (ETSI)
//! channel plan — which channels exist per band and width, which need DFS, and the EIRP
//! each allows ([`channels`]), the 802.11ax data rates ([`mcs`]) and the capacity they
//! give a room by airtime ([`airtime`]).

pub mod airtime;
pub mod antenna;
mod aps;
pub mod channels;
pub mod mcs;
pub mod models;

pub use aps::{AccessPoint, AccessPoints, Antenna, ApError, Radio};
pub use channels::channel_centre_ghz;
