//! The region: the site list, the batch runner over every lycée (with
//! shards and `merge`), the school calendar and the wave scheduler.

pub mod batch;
pub mod calendar;
pub mod geo;
pub mod merge;
pub mod sites;
pub mod waves;

pub use crate::costs::{Costs, SiteCost};
pub use batch::{BatchOptions, BatchResult, BatchSummary, Shard, Status};
pub use calendar::Calendar;
pub use sites::{SiteList, SiteRow};
pub use waves::{Schedule, WavesConfig};

/// The bundled cost defaults (`data/costs.ron`).
pub const BUNDLED_COSTS: &str = include_str!("../../data/costs.ron");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_costs_ron_states_the_defaults() {
        let c: Costs = crate::ronfile::parse(BUNDLED_COSTS, std::path::Path::new("data/costs.ron")).unwrap();
        assert_eq!(c, Costs::default());
    }
}
