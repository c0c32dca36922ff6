//! WiFi frequency bands: their names, frequency ranges and centre frequencies.
//!
//! A leaf module: materials (per-band fixed losses) and radio (channels) both name bands,
//! so the band itself lives below both.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A WiFi band as used in Europe (ETSI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Band {
    /// 2.400–2.4835 [GHz].
    G2_4,
    /// 5.150–5.875 [GHz].
    G5,
    /// 5.925–7.125 [GHz].
    G6,
}

impl Band {
    /// Every band, lowest first.
    pub const ALL: [Band; 3] = [Band::G2_4, Band::G5, Band::G6];

    /// The key naming this band in files and on the command line: "2.4", "5" or "6".
    pub fn key(self) -> &'static str {
        match self {
            Band::G2_4 => "2.4",
            Band::G5 => "5",
            Band::G6 => "6",
        }
    }

    /// The band named by a key of [`Band::key`].
    pub fn from_key(key: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.key() == key)
    }

    /// Frequency range of the band, inclusive [GHz].
    pub fn range_ghz(self) -> (f64, f64) {
        match self {
            Band::G2_4 => (2.400, 2.4835),
            Band::G5 => (5.150, 5.875),
            Band::G6 => (5.925, 7.125),
        }
    }

    /// Frequency a radio of this band simulates at when it has no channel yet [GHz].
    pub fn centre_ghz(self) -> f64 {
        match self {
            Band::G2_4 => 2.437,
            Band::G5 => 5.500,
            Band::G6 => 6.500,
        }
    }

    /// The band whose range holds `f_ghz`, if any.
    pub fn containing(f_ghz: f64) -> Option<Band> {
        Band::ALL.into_iter().find(|b| {
            let (lo, hi) = b.range_ghz();
            (lo..=hi).contains(&f_ghz)
        })
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} GHz", self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_centres_lie_in_their_band() {
        for b in Band::ALL {
            assert_eq!(Band::from_key(b.key()), Some(b));
            assert_eq!(Band::containing(b.centre_ghz()), Some(b));
        }
        assert_eq!(Band::containing(5.9), None, "the gap between 5 and 6 GHz is no band");
        assert_eq!(Band::from_key("5.0"), None);
    }
}
