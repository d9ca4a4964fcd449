//! The commands behind the command line, each in its own module.
pub mod attach;
pub mod export;
pub mod import;
pub mod keys;
pub mod list;
pub mod returns;
pub mod review;
pub mod show;
pub mod show_reviews;
pub mod stats;
pub mod table;
pub mod verify;
pub mod visit;
