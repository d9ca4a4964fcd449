//! Helpers shared by the end-to-end tests: each `e2e_*` file uses some of them.
#![allow(dead_code)]

pub mod pty;
pub mod screen;
pub mod site;
