//! The visit log: event types, the hash chain, the durable writer and the verifying reader.
pub mod chain;
pub mod event;
pub mod problem;
pub mod reader;
