//! Floor plans: the site model (sites, buildings, floors, walls, openings, rooms) and its
//! frames, reading and writing the RON plan format, validation, the `check` summary, and
//! the procedural lycée generator.

pub mod generate;
pub mod import;
mod io;
mod model;
mod summary;
mod validate;

pub use io::{load, parse, read, save, to_ron_string};
pub use model::{Building, Floor, Opening, OpeningKind, Room, RoomKind, Site, Slab, Wall, Xy};
pub use summary::{BuildingSummary, Extent, FloorSummary, KindRooms, MaterialWalls, SlabLoss, Summary};
pub use validate::{Defect, MIN_ROOM_AREA, MIN_WALL_LENGTH, validate};

use std::path::PathBuf;

/// Why a plan could not be read, parsed, validated or written.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The file could not be read or is not a plan (RON syntax, or a field missing,
    /// misspelt or of the wrong type).
    #[error(transparent)]
    Input(#[from] crate::ronfile::ReadError),
    /// The plan parsed but breaks validation rules; every problem is listed.
    #[error("{}: {} problem(s) in the plan", path.display(), problems.len())]
    Invalid {
        /// The plan file.
        path: PathBuf,
        /// Every problem found.
        problems: Vec<Defect>,
    },
    /// The plan could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The target file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl crate::error::JobError for PlanError {
    fn is_bad_input(&self) -> bool {
        !matches!(self, PlanError::Write { .. })
    }

    /// One line per problem, each starting with the file.
    fn lines(&self) -> Vec<String> {
        match self {
            PlanError::Invalid { path, problems } => {
                problems.iter().map(|p| format!("{}: {p}", path.display())).collect()
            }
            other => vec![other.to_string()],
        }
    }
}
