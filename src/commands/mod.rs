//! The commands behind the command line, each in its own module.
pub mod list;
pub mod show;
pub mod verify;
pub mod visit;
