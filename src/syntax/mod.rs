//! Span-aware syntax trees for the configuration formats we parse ourselves (JSON and YAML).
//!
//! Adapters need every value's line and column so a finding can point at the offending attribute;
//! serde's value types drop positions, so both parsers build the same [`Node`] tree instead.

pub mod json;
mod node;
pub mod yaml;

pub use node::{Key, Node, NodeKind, Span};

/// Limits that keep hostile input from exhausting the stack or memory.
pub const MAX_DEPTH: usize = 512;

/// Start of the message of every error that is a resource limit rather than bad syntax: such a
/// file could not be read *because of our limit*, so it is always an error, never "not a config
/// file" (a hostile file must not hide from the scan by nesting itself deeper than we read).
pub const LIMIT_PREFIX: &str = "limit exceeded: ";

/// A parse failure with a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line}, column {column}")]
pub struct SyntaxError {
    pub message: String,
    pub line: u32,
    pub column: u32,
    /// Byte offset into the source.
    pub offset: usize,
}

impl SyntaxError {
    /// Whether this is a resource limit (nesting depth, alias expansion) rather than bad syntax.
    pub fn is_limit(&self) -> bool {
        self.message.starts_with(LIMIT_PREFIX)
    }
}
