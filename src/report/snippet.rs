//! Renders a message, its help and an [`super::excerpt`] of the source through miette's
//! graphical handler.

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
    SourceSpan,
};
use std::fmt;

/// One renderable diagnostic: already-sanitized message, help and source.
#[derive(Debug)]
pub struct Snippet {
    pub message: String,
    pub severity: miette::Severity,
    pub help: Option<String>,
    /// Named source (the name is the `path:line:col` shown in the box header), span and label.
    pub source: Option<(NamedSource<String>, SourceSpan, Option<String>)>,
}

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Snippet {}

impl Diagnostic for Snippet {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|(s, _, _)| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, span, label) = self.source.as_ref()?;
        let labeled = LabeledSpan::new_primary_with_span(label.clone(), *span);
        Some(Box::new(std::iter::once(labeled)))
    }
}

/// Renders `snippet` with the unicode+colour theme or plain ASCII. The box header shows the
/// source's name as given: miette would compute a *byte* column there, while our columns count
/// characters, so callers put their own `path:line:col` in the name instead.
pub fn render(snippet: &Snippet, color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::none()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(width)
        .without_primary_span_start()
        .with_context_lines(super::excerpt::CONTEXT_LINES as usize);
    let mut out = String::new();
    if handler.render_report(&mut out, snippet).is_ok() {
        return out;
    }
    // miette refuses spans it cannot read; never lose the message because of a snippet.
    let plain = Snippet {
        message: snippet.message.clone(),
        severity: snippet.severity,
        help: snippet.help.clone(),
        source: None,
    };
    let mut out = String::new();
    match handler.render_report(&mut out, &plain) {
        Ok(()) => out,
        Err(_) => format!("  {}\n", snippet.message),
    }
}
