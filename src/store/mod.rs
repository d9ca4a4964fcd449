//! The data folder: where logs live, the index of open visits, open visit sessions, and
//! reading visits back.
pub mod import;
pub mod layout;
pub mod open_index;
pub mod read;
pub mod session;
