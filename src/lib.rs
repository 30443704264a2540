//! trailguard: a policy-as-code compliance scanner for AWS CloudTrail configurations and logs.
//!
//! Data flows one way: discover → parse (with spans) → adapt to the model → evaluate (Rego) →
//! filter → report → exit code. See `docs/architecture.md`.

pub mod adapters;
pub mod allocator;
pub mod cli;
pub mod contract;
pub mod events;
pub mod eventscan;
pub mod interrupt;
pub mod model;
pub mod policy;
pub mod report;
pub mod scan;
pub mod settings;
pub mod suppress;
pub mod syntax;
