//! Stable seeds: a text (a UAI, a site name) hashed with FNV-1a into a ChaCha8 generator,
//! so that the same text gives the same draws on every machine and build.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// A stable 64-bit hash of a text (FNV-1a).
pub fn stable_hash(text: &str) -> u64 {
    stable_hash_bytes(text.as_bytes())
}

/// [`stable_hash`] of raw bytes (FNV-1a 64): the checksum of the building cache's files.
pub fn stable_hash_bytes(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// [`stable_hash`] as 16 hex digits: the fingerprints batch folders record.
pub fn fingerprint(text: &str) -> String {
    format!("{:016x}", stable_hash(text))
}

/// A generator seeded by a text.
pub fn rng(text: &str) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(stable_hash(text))
}

/// A uniform draw in [lo, hi).
pub fn uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
}

/// A uniform integer in [0, n) (n > 0).
pub fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    (rng.next_u64() % n as u64) as usize
}

/// True with probability `p`.
pub fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    uniform(rng, 0.0, 1.0) < p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_gives_the_same_draws() {
        assert_eq!(stable_hash("0140013N"), stable_hash("0140013N"));
        assert_ne!(stable_hash("0140013N"), stable_hash("0140014P"));
        let (mut a, mut b) = (rng("x"), rng("x"));
        for _ in 0..10 {
            let u = uniform(&mut a, 2.0, 3.0);
            assert!((2.0..3.0).contains(&u));
            assert_eq!(u, uniform(&mut b, 2.0, 3.0));
        }
    }
}
