//! wifiplan: plans the WiFi rollout of a region's lycées — floor plans, ray-traced indoor
//! coverage, access-point placement, and installation waves under a budget.
//!
//! Data flows one way: [`plan`] → scene → radio maps → placement → region (DESIGN.md §2).
//! [`materials`], [`band`] and [`geometry`] are leaves every stage may use.

pub mod atomic;
pub mod band;
pub mod geometry;
pub mod heatmap;
pub mod materials;
pub mod placement;
pub mod plan;
pub mod radio;
pub mod radiomap;
pub mod region;
pub mod render;
pub mod ronfile;
pub mod scene;
pub mod seed;
pub mod simulate;
pub mod solver;
