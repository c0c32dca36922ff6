//! The per-site jobs, above the solver and placement: [`simulate`] (a plan and its APs to
//! radio maps), [`assess`] (maps to metrics, the one coverage evaluation, heatmaps and the
//! report's contents), [`installer`] (the installer's `aps.csv` and `bom.csv`) and [`pipeline`] (plan → place → assess → record, the one path that
//! `place`, `heatmap` and the region batch all take).

pub mod assess;
pub mod installer;
pub mod pipeline;
pub mod simulate;
