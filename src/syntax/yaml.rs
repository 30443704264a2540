//! YAML 1.2 reader producing the span-keeping [`Node`] tree, CloudFormation short-form tags kept.
//!
//! Built on saphyr-parser's event stream because it reports a source span for every event,
//! including mapping keys and tags; `yaml_serde` keeps tags but drops positions, so findings
//! could not point at a line. The tree is built without recursion (an explicit frame stack), so
//! hostile input cannot overflow the stack, and:
//!
//! - plain scalars resolve with the YAML 1.2 core schema (`null`/`~`, `true`/`True`/`TRUE`,
//!   decimal/`0x`/`0o` integers, floats, `.inf`/`.nan`); quoted scalars are always strings;
//! - local tags stay as [`NodeKind::Tagged`] with their full text (`!Ref`, `!GetAtt`); core tags
//!   (`!!str`, `!!int`, ...) are applied instead of kept;
//! - aliases expand by cloning, bounded by [`MAX_ALIAS_NODES`] (a billion-laughs file fails
//!   instead of eating memory), and nesting is bounded by [`MAX_DEPTH`];
//! - merge keys (`<<: *base`, `<<: [*a, *b]`) merge mappings, explicit keys winning;
//! - [`parse`] accepts one document (CloudFormation templates are single-document) and rejects a
//!   second non-empty one rather than silently ignoring its resources; [`parse_stream`] returns
//!   every document for callers that want them.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span as YamlSpan, Tag};

use super::{Key, LIMIT_PREFIX, MAX_DEPTH, Node, NodeKind, Span, SyntaxError};
use scalar::{core_scalar, resolve_plain};

/// Most nodes that alias expansion may add to one stream. Nodes written out in the source are
/// bounded by its size; only aliases can multiply it, so only they are budgeted.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// Parse a single-document YAML file (a CloudFormation template).
///
/// An empty file is a `Null` node at line 1. A stream with a second document that has content is
/// an error at that document: it would otherwise be ignored without a word.
pub fn parse(src: &str) -> Result<Node, SyntaxError> {
    let offsets = Offsets::new(src);
    let mut docs = read_stream(src, &offsets)?.into_iter();
    let first = docs.next().unwrap_or_else(|| {
        Node::new(
            NodeKind::Null,
            Span {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
                offset: 0,
                len: 0,
            },
        )
    });
    if let Some(extra) = docs.find(|d| !matches!(d.kind, NodeKind::Null)) {
        return Err(SyntaxError {
            message: "a second YAML document in the same file (a CloudFormation template is one \
                      document); split the file"
                .to_string(),
            line: extra.span.line,
            column: extra.span.column,
            offset: extra.span.offset,
        });
    }
    Ok(first)
}

/// Parse every document of a YAML stream, in order.
pub fn parse_stream(src: &str) -> Result<Vec<Node>, SyntaxError> {
    read_stream(src, &Offsets::new(src))
}

fn read_stream(src: &str, offsets: &Offsets<'_>) -> Result<Vec<Node>, SyntaxError> {
    let mut parser = Parser::new_from_str(src);
    let mut builder = Builder {
        offsets,
        frames: Vec::new(),
        root: None,
        anchors: HashMap::new(),
        alias_nodes: 0,
    };
    let mut docs = Vec::new();
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| offsets.scan_error(&e))?;
        match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::Nothing => {}
            Event::DocumentStart(_) => {
                builder.anchors.clear();
                builder.root = None;
            }
            Event::DocumentEnd => {
                if let Some(root) = builder.root.take() {
                    docs.push(root);
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                builder.scalar(&value, style, anchor, tag.as_deref(), span)?;
            }
            Event::SequenceStart(anchor, tag) => {
                builder.open(Body::Seq(Vec::new()), anchor, tag.as_deref(), span)?;
            }
            Event::MappingStart(anchor, tag) => {
                let body = Body::Map {
                    entries: Vec::new(),
                    merges: Vec::new(),
                    pending: None,
                };
                builder.open(body, anchor, tag.as_deref(), span)?;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(span)?,
            Event::Alias(id) => builder.alias(id, span)?,
        }
    }
    Ok(docs)
}

/// Maps saphyr's character indices to the byte offsets miette needs.
struct Offsets<'a> {
    src: &'a str,
    /// Byte offset of every `STRIDE`-th character; empty for ASCII input (index == offset).
    checkpoints: Vec<usize>,
}

const STRIDE: usize = 64;

impl<'a> Offsets<'a> {
    fn new(src: &'a str) -> Offsets<'a> {
        let checkpoints = if src.is_ascii() {
            Vec::new()
        } else {
            src.char_indices()
                .step_by(STRIDE)
                .map(|(byte, _)| byte)
                .collect()
        };
        Offsets { src, checkpoints }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.checkpoints.is_empty() {
            return char_index.min(self.src.len());
        }
        let Some(&base) = self.checkpoints.get(char_index / STRIDE) else {
            return self.src.len();
        };
        self.src
            .get(base..)
            .and_then(|rest| rest.char_indices().nth(char_index % STRIDE))
            .map_or(self.src.len(), |(i, _)| base + i)
    }

    fn span(&self, start: Marker, end: Marker) -> Span {
        let from = self.byte(start.index());
        let to = self.byte(end.index()).max(from);
        Span {
            line: to_u32(start.line()),
            column: to_u32(start.col()).saturating_add(1),
            end_line: to_u32(end.line()),
            end_column: to_u32(end.col()).saturating_add(1),
            offset: from,
            len: to - from,
        }
    }

    /// The span without trailing whitespace and line breaks.
    fn trim_end(&self, span: Span) -> Span {
        let Some(text) = self.src.get(span.offset..span.offset + span.len) else {
            return span;
        };
        let kept = text.trim_end_matches([' ', '\t', '\r', '\n']);
        if kept.len() == text.len() {
            return span;
        }
        let (end_line, end_column) = match kept.rfind('\n') {
            Some(newline) => (
                span.line + to_u32(kept.matches('\n').count()),
                to_u32(kept[newline + 1..].chars().count()) + 1,
            ),
            None => (span.line, span.column + to_u32(kept.chars().count())),
        };
        Span {
            end_line,
            end_column,
            len: kept.len(),
            ..span
        }
    }

    fn error(&self, at: Marker, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            message: message.into(),
            line: to_u32(at.line()),
            column: to_u32(at.col()).saturating_add(1),
            offset: self.byte(at.index()),
        }
    }

    fn scan_error(&self, e: &ScanError) -> SyntaxError {
        // saphyr's own nesting guard fires before ours on deep flow collections: still a limit.
        if e.info() == "recursion limit exceeded" {
            return self.error(
                *e.marker(),
                format!("{LIMIT_PREFIX}nesting too deep for the YAML reader"),
            );
        }
        self.error(*e.marker(), format!("invalid YAML: {}", e.info()))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How a tag applies: core-schema tags change resolution, local tags wrap the node.
enum TagUse {
    Core(String),
    Local(String),
}

fn tag_use(tag: Option<&Tag>) -> Option<TagUse> {
    let tag = tag?;
    Some(match tag.handle.as_str() {
        "tag:yaml.org,2002:" => TagUse::Core(tag.suffix.clone()),
        "!" => TagUse::Local(format!("!{}", tag.suffix)),
        handle => TagUse::Local(format!("!<{handle}{}>", tag.suffix)),
    })
}

/// An open collection.
struct Frame {
    body: Body,
    start: Marker,
    anchor: usize,
    tag: Option<String>,
    /// Nesting level of this collection's node (the root is 0, as in the JSON parser; a tag adds
    /// a level).
    depth: usize,
    /// Nodes in this subtree so far, itself included.
    count: usize,
    /// Height of the tallest child subtree.
    child_height: usize,
    /// End of the last child, for block collections whose end event has an empty span.
    last_end: Option<Marker>,
}

enum Body {
    Seq(Vec<Node>),
    Map {
        entries: Vec<(Key, Node)>,
        /// Values of `<<` merge keys, applied when the mapping closes.
        merges: Vec<Node>,
        /// The key read, waiting for its value; `true` when it is a merge key.
        pending: Option<(Key, bool)>,
    },
}

/// A finished node with the bookkeeping its parent needs.
struct Done {
    node: Node,
    count: usize,
    height: usize,
    /// The text of a scalar, usable as a mapping key, and whether it was plain (unquoted).
    key: Option<(String, bool)>,
    end: Marker,
}

struct Stored {
    node: Node,
    count: usize,
    height: usize,
    key: Option<(String, bool)>,
}

struct Builder<'o, 's> {
    offsets: &'o Offsets<'s>,
    frames: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, Stored>,
    alias_nodes: usize,
}

impl Builder<'_, '_> {
    /// Nesting level a new child node gets.
    fn child_depth(&self) -> usize {
        self.frames.last().map_or(0, |f| f.depth + 1)
    }

    fn too_deep(&self, at: Marker) -> SyntaxError {
        self.offsets.error(
            at,
            format!("{LIMIT_PREFIX}nesting deeper than {MAX_DEPTH} levels"),
        )
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: YamlSpan,
    ) -> Result<(), SyntaxError> {
        let tag = tag_use(tag);
        let kind = match (&tag, style) {
            (Some(TagUse::Core(core)), _) => core_scalar(core, value).ok_or_else(|| {
                self.offsets
                    .error(span.start, format!("not a valid !!{core}"))
            })?,
            (_, ScalarStyle::Plain) => resolve_plain(value),
            _ => NodeKind::String(value.to_string()),
        };
        let mut at = self.offsets.span(span.start, span.end);
        if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            // saphyr ends block scalars at the next token, past trailing blank lines.
            at = self.offsets.trim_end(at);
        }
        let mut node = Node::new(kind, at);
        let mut height = 1;
        if let Some(TagUse::Local(name)) = tag {
            node = Node::new(NodeKind::Tagged(name, Box::new(node)), at);
            height = 2;
        }
        if self.child_depth() + height - 1 > MAX_DEPTH {
            return Err(self.too_deep(span.start));
        }
        let done = Done {
            node,
            count: 1,
            height,
            key: Some((value.to_string(), style == ScalarStyle::Plain)),
            end: span.end,
        };
        self.finish(done, anchor)
    }

    fn open(
        &mut self,
        body: Body,
        anchor: usize,
        tag: Option<&Tag>,
        span: YamlSpan,
    ) -> Result<(), SyntaxError> {
        let tag = match tag_use(tag) {
            Some(TagUse::Local(name)) => Some(name),
            // `!!map`/`!!seq` restate what the node already is.
            Some(TagUse::Core(_)) | None => None,
        };
        let depth = self.child_depth() + usize::from(tag.is_some());
        if depth > MAX_DEPTH {
            return Err(self.too_deep(span.start));
        }
        self.frames.push(Frame {
            body,
            start: span.start,
            anchor,
            tag,
            depth,
            count: 1,
            child_height: 0,
            last_end: None,
        });
        Ok(())
    }

    fn close(&mut self, span: YamlSpan) -> Result<(), SyntaxError> {
        let Some(frame) = self.frames.pop() else {
            return Err(self
                .offsets
                .error(span.start, "unbalanced end of collection"));
        };
        // Flow collections end at their bracket; block ones at their last child.
        let end = if span.start.index() == span.end.index() {
            frame.last_end.unwrap_or(span.start)
        } else {
            span.end
        };
        let at = self.offsets.span(frame.start, end);
        let kind = match frame.body {
            Body::Seq(items) => NodeKind::Seq(items),
            Body::Map {
                entries, merges, ..
            } => NodeKind::Map(merge(entries, merges)?),
        };
        let mut node = Node::new(kind, at);
        let mut height = frame.child_height + 1;
        if let Some(name) = frame.tag {
            node = Node::new(NodeKind::Tagged(name, Box::new(node)), at);
            height += 1;
        }
        let done = Done {
            node,
            count: frame.count,
            height,
            key: None,
            end,
        };
        self.finish(done, frame.anchor)
    }

    fn alias(&mut self, id: usize, span: YamlSpan) -> Result<(), SyntaxError> {
        let Some(stored) = self.anchors.get(&id) else {
            return Err(self.offsets.error(
                span.start,
                "alias to a node that contains it (recursive alias)",
            ));
        };
        self.alias_nodes = self.alias_nodes.saturating_add(stored.count);
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(self.offsets.error(
                span.start,
                format!(
                    "{LIMIT_PREFIX}aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?); \
                     refusing to expand further"
                ),
            ));
        }
        if self.child_depth() + stored.height - 1 > MAX_DEPTH {
            return Err(self.too_deep(span.start));
        }
        let mut node = stored.node.clone();
        // The expansion is reported where it is used; its inner nodes keep the anchor's spans.
        node.span = self.offsets.span(span.start, span.end);
        let done = Done {
            node,
            count: stored.count,
            height: stored.height,
            key: stored.key.clone(),
            end: span.end,
        };
        self.finish(done, 0)
    }

    /// Record an anchor and hand the node to its parent (or make it the document root).
    fn finish(&mut self, done: Done, anchor: usize) -> Result<(), SyntaxError> {
        if anchor != 0 {
            let stored = Stored {
                node: done.node.clone(),
                count: done.count,
                height: done.height,
                key: done.key.clone(),
            };
            self.anchors.insert(anchor, stored);
        }
        let Some(parent) = self.frames.last_mut() else {
            self.root = Some(done.node);
            return Ok(());
        };
        parent.count = parent.count.saturating_add(done.count);
        parent.child_height = parent.child_height.max(done.height);
        parent.last_end = Some(done.end);
        match &mut parent.body {
            Body::Seq(items) => items.push(done.node),
            Body::Map {
                entries,
                merges,
                pending,
            } => match pending.take() {
                Some((_, true)) => merges.push(done.node),
                Some((key, false)) => entries.push((key, done.node)),
                None => {
                    let Some((name, plain)) = done.key else {
                        return Err(error_at(
                            done.node.span,
                            "a sequence or mapping used as a mapping key is not supported",
                        ));
                    };
                    let is_merge = plain && name == "<<";
                    let key = Key {
                        name,
                        span: done.node.span,
                    };
                    *pending = Some((key, is_merge));
                }
            },
        }
        Ok(())
    }
}

fn error_at(span: Span, message: &str) -> SyntaxError {
    SyntaxError {
        message: message.to_string(),
        line: span.line,
        column: span.column,
        offset: span.offset,
    }
}

/// Apply `<<` merge keys: keys written in the mapping win, then earlier merged mappings.
fn merge(
    mut entries: Vec<(Key, Node)>,
    merges: Vec<Node>,
) -> Result<Vec<(Key, Node)>, SyntaxError> {
    if merges.is_empty() {
        return Ok(entries);
    }
    let mut seen: HashSet<String> = entries.iter().map(|(k, _)| k.name.clone()).collect();
    for value in merges {
        let span = value.span;
        let sources = match value.kind {
            NodeKind::Map(_) => vec![value],
            NodeKind::Seq(items) if items.iter().all(Node::is_map) => items,
            _ => {
                return Err(error_at(
                    span,
                    "a merge key `<<` needs a mapping or a list of mappings",
                ));
            }
        };
        for source in sources {
            if let NodeKind::Map(source_entries) = source.kind {
                for (key, node) in source_entries {
                    if seen.insert(key.name.clone()) {
                        entries.push((key, node));
                    }
                }
            }
        }
    }
    Ok(entries)
}

mod scalar;
#[cfg(test)]
mod tests;
