//! wifiplan: plans the WiFi rollout of a region's lycées — floor plans, ray-traced indoor
//! coverage, access-point placement, and installation waves under a budget.
//!
//! Data flows one way (DESIGN.md §2): [`plan`] → [`scene`] → [`solver`] → [`radiomap`] →
//! [`placement`] and [`site`] (simulate, assess, the site pipeline) → [`region`].
//! [`coverage`] is the one coverage evaluation that placement and the assessment share;
//! [`materials`], [`band`], [`geometry`], [`requirements`], [`costs`] and [`error`] are
//! leaves every stage may use; [`render`] turns data into images and pages.

pub mod atomic;
pub mod band;
pub mod costs;
pub mod coverage;
pub mod error;
pub mod geometry;
pub mod lang;
pub mod materials;
pub mod placement;
pub mod plan;
pub mod radio;
pub mod radiomap;
pub mod region;
pub mod render;
pub mod requirements;
pub mod ronfile;
pub mod scene;
pub mod seed;
pub mod site;
pub mod solver;
