//! Robustness of the plan reader: random, truncated and mutated RON never panics; it is
//! either an error or a site that validation and the summary can handle.
//! 10,000 cases per property; the seed is fixed (`ROBUSTNESS_SEED`) and proptest prints the
//! failing input.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::path::Path;
use wifiplan::plan::{self, Summary, validate};

const ROBUSTNESS_SEED: u64 = 0x5EED_2026;

const SEEDS: [&str; 3] = [
    include_str!("data/design_example.ron"),
    include_str!("../floorplans/empty_room.ron"),
    include_str!("../floorplans/lycee-demo.ron"),
];

/// Bytes that steer mutations into RON's grammar rather than only into lexer errors.
const RON_ALPHABET: &str = "(){}[],:\"' .-+eE0123456789_aZSomeNonetruefalseinfNaN/*\n\\é";

fn config() -> Config {
    Config { cases: 10_000, failure_persistence: None, rng_seed: RngSeed::Fixed(ROBUSTNESS_SEED), ..Config::default() }
}

/// Parses, then (on success) validates, summarises and re-serialises: none may panic.
fn exercise(text: &str) {
    if let Ok(site) = plan::parse(text, Path::new("fuzz.ron")) {
        let problems = validate(&site);
        if problems.is_empty() {
            let _ = Summary::of(&site, 5.5).to_string();
        }
        let _ = plan::to_ron_string(&site);
    }
}

fn snap(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ron_string() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(RON_ALPHABET.chars().collect::<Vec<_>>()), 0..12)
        .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn truncated_plans_never_panic(seed in 0..SEEDS.len(), at in any::<proptest::sample::Index>()) {
        let text = SEEDS[seed];
        exercise(&text[..snap(text, at.index(text.len() + 1))]);
    }

    #[test]
    fn mutated_plans_never_panic(
        seed in 0..SEEDS.len(),
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), 0usize..8, ron_string()), 1..6),
    ) {
        let mut text = SEEDS[seed].to_string();
        for (at, cut, insert) in edits {
            let start = snap(&text, at.index(text.len() + 1));
            let end = snap(&text, start + cut);
            text.replace_range(start..end.max(start), &insert);
        }
        exercise(&text);
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        exercise(&text);
    }

    #[test]
    fn random_ron_shaped_text_never_panics(parts in proptest::collection::vec(ron_string(), 0..30)) {
        exercise(&format!("Site({})", parts.concat()));
    }
}

#[test]
fn deeply_nested_input_is_an_error_not_a_stack_overflow() {
    let text = format!("Site(name: {}", "(".repeat(100_000));
    assert!(plan::parse(&text, Path::new("deep.ron")).is_err());
}
