//! The data folder: where logs live, the index of open visits, open visit sessions, visits
//! returned for follow-up, importing from other laptops, and reading visits back.
pub mod follow_up;
pub mod import;
pub mod index;
pub mod layout;
pub mod open_index;
pub mod read;
pub mod reviews;
pub mod session;
