//! The data folder: where logs live, the index of open visits, open visit sessions, visits
//! returned for follow-up, importing from other laptops, and reading visits back.
//!
//! `seam` is the store as the commands see it (`VisitStore`); `file_store` its data-folder
//! implementation, `postgres` the fleet store's (a PostgreSQL database).
pub mod evidence;
pub mod figure_counts;
pub mod file_store;
pub mod follow_up;
pub mod import;
pub mod inbox;
pub mod index;
pub mod layout;
pub mod ledger;
pub mod listing;
pub mod open_index;
pub mod postgres;
pub mod read;
pub mod reviews;
pub mod seam;
pub mod session;
