//! A region batch: [`run`] plans every site of a list into a folder whose format
//! [`record`] owns (and `merge` and `waves` read back).

pub mod record;
pub mod run;

pub(crate) use record::write_json;
pub use record::{
    ADDED, BatchError, BatchSummary, ResultRow, Shard, SiteRecord, Status, Timings, read_sites_csv, site_dir,
    summarise, write_folder, write_region_bill,
};
pub use run::{BatchOptions, BatchResult, SiteProgress, batch_requirements, run};
