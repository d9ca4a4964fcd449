//! sitecheck: service-standard checklists for field technicians.
//!
//! The domain modules (`checklist`, `visit`, `log`, `store`) never touch the terminal;
//! `tui` draws and reads keys but never opens a file itself.
pub mod checklist;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod export;
pub mod keys;
pub mod lang;
pub mod log;
pub mod present;
pub mod review;
pub mod sanitize;
pub mod store;
pub mod tui;
pub mod visit;
