//! Radio maps, the solver's outputs: per-AP path gain grids, best-server RSSI, the
//! metrics derived from them, the cells of each room, and the `.npy` + `radiomap.json`
//! files outside tools read (DESIGN.md §3). The receiver grids they are laid on are the
//! solver's input ([`crate::scene::grid`]).

pub mod metrics;
mod npy;
mod output;
pub mod rooms;

pub use metrics::Metric;
pub use npy::{read_npy_f32, write_npy_f32};
pub use output::{MapsFile, PlaneEntry, WriteError, file_safe, plane_entries, write_maps};
pub use rooms::{RoomCells, polygon_cells, room_cells};
