//! The terminal screens. They draw state and turn keys into changes; files are reached
//! only through the store's session.
pub mod app;
pub mod battery;
pub mod big_text;
pub mod event_loop;
pub mod evidence_strings;
pub mod header_form;
pub mod help;
pub mod home;
pub mod image_query;
pub mod input;
pub mod review;
pub mod run;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod thumbnails;
