//! Event-log scanning: prefilter index, per-record rule evaluation, and the driver that streams
//! event files through them.

pub mod engine;
pub mod finding;
pub mod index;
pub mod memo;
pub mod native;
pub mod program;
pub mod rawpath;
pub mod reads;
pub mod value;
pub mod windows;
