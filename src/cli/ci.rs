//! CI-facing command glue: `--output FORMAT=PATH`, the format dispatch shared by `scan` and
//! `convert`, and the `convert` and `report` subcommands.

use super::{
    CiOutputArgs, ConvertArgs, OutputFormat, ReportArgs, ReportFormat, fs_sources, load_options,
    print_fatal, use_color, write_or_quiet,
};
use crate::contract::{RuleDescriptor, RuleKind, ScanReport};
use crate::policy::{self, PolicySet};
use crate::report::compliance;
use crate::report::markdown::MarkdownOptions;
use crate::report::sarif::SarifOptions;
use crate::report::{self, HumanOptions, github, gitlab, human, junit, markdown, sarif};
use crate::scan::{self, ScanOptions};
use std::collections::BTreeSet;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Parses `FORMAT=PATH` for `--output`.
pub fn parse_output(s: &str) -> Result<(OutputFormat, PathBuf), String> {
    use clap::ValueEnum;
    let (fmt, path) = s
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=PATH (e.g. sarif=trailguard.sarif), got `{s}`"))?;
    let format = OutputFormat::from_str(fmt.trim(), true).map_err(|_| {
        let names: Vec<String> = OutputFormat::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        format!("unknown format `{fmt}` (one of: {})", names.join(", "))
    })?;
    if path.is_empty() || path == "-" {
        return Err(format!(
            "`{s}`: give a file path; standard output takes the `--format` format"
        ));
    }
    Ok((format, PathBuf::from(path)))
}

/// Everything a format needs besides the report.
pub struct RenderContext {
    /// Every loaded rule (SARIF lists them; unknown ids still render).
    descriptors: Vec<RuleDescriptor>,
    /// Ids of the rules that ran, when known (JUnit lists those without findings as passed).
    selected: Option<BTreeSet<String>>,
    sarif: SarifOptions,
    markdown: MarkdownOptions,
    human: HumanOptions,
    base: Option<PathBuf>,
}

impl RenderContext {
    pub fn new(
        set: &PolicySet,
        selected: Option<&BTreeSet<String>>,
        ci: &CiOutputArgs,
        human: HumanOptions,
    ) -> RenderContext {
        let base = std::env::current_dir().ok();
        RenderContext {
            descriptors: set.descriptors(),
            selected: selected.cloned(),
            sarif: SarifOptions {
                include_suppressed: ci.sarif_include_suppressed,
                base_dir: base.clone(),
            },
            markdown: MarkdownOptions {
                max_findings: ci.markdown_max_findings,
                base_dir: base.clone(),
            },
            human,
            base,
        }
    }

    /// Rules that ran on inputs of their kind: selected, and config documents (or event
    /// records) were actually scanned.
    fn evaluated(&self, report: &ScanReport) -> Vec<RuleDescriptor> {
        let Some(selected) = &self.selected else {
            return Vec::new();
        };
        let events = report
            .summary
            .events
            .as_ref()
            .is_some_and(|e| e.records_evaluated > 0);
        self.descriptors
            .iter()
            .filter(|d| selected.contains(&d.id))
            .filter(|d| match d.kind {
                RuleKind::Config => report.summary.documents > 0,
                RuleKind::Event | RuleKind::Aggregate => events,
            })
            .cloned()
            .collect()
    }

    fn render(
        &self,
        report: &ScanReport,
        format: OutputFormat,
        to_terminal: bool,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let base = self.base.as_deref();
        match format {
            OutputFormat::Human => {
                let mut opts = self.human.clone();
                opts.color &= to_terminal;
                human::render(report, &fs_sources, &opts, out)
            }
            OutputFormat::Json => report::json::write(report, out),
            OutputFormat::Sarif => sarif::write(report, &self.descriptors, &self.sarif, out),
            OutputFormat::Junit => junit::write(report, &self.evaluated(report), base, out),
            OutputFormat::Github => github::write(report, base, out),
            OutputFormat::Gitlab => gitlab::write(report, base, out),
            OutputFormat::Markdown => markdown::write(report, &self.markdown, out),
        }
    }
}

fn format_name(f: OutputFormat) -> String {
    use clap::ValueEnum;
    f.to_possible_value()
        .map(|p| p.get_name().to_string())
        .unwrap_or_default()
}

fn write_file(
    ctx: &RenderContext,
    report: &ScanReport,
    format: OutputFormat,
    path: &Path,
) -> std::io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut w = BufWriter::new(file);
    ctx.render(report, format, false, &mut w)?;
    w.flush()
}

/// Writes every `--output` file, then `format` to standard output. Returns `code`, or 2 when
/// an output could not be written (every output is still attempted).
pub fn emit(
    report: &ScanReport,
    format: OutputFormat,
    ci: &CiOutputArgs,
    ctx: &RenderContext,
    code: i32,
) -> i32 {
    let mut failed = false;
    for (fmt, path) in &ci.outputs {
        if let Err(e) = write_file(ctx, report, *fmt, path) {
            eprintln!(
                "error: cannot write the {} report to {}: {e}",
                format_name(*fmt),
                path.display()
            );
            failed = true;
        }
    }
    // Buffered: Rust's stdout is line-buffered, which costs one write(2) per report line.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let stdout = write_or_quiet(
        ctx.render(report, format, true, &mut out)
            .and_then(|_| out.flush()),
    );
    if failed || stdout != 0 { 2 } else { code }
}

pub fn run_convert(args: ConvertArgs) -> i32 {
    let (set, errors) = policy::load(&load_options(&args.policies));
    if !errors.is_empty() {
        print_fatal(&errors);
        return 2;
    }
    let read = if args.from.as_os_str() == "-" {
        report::json::read(&mut std::io::stdin().lock())
    } else {
        match std::fs::File::open(&args.from) {
            Ok(mut f) => report::json::read(&mut f),
            Err(e) => Err(report::json::ReadError::Io(e)),
        }
    };
    let saved = match read {
        Ok(r) => r,
        Err(e) => {
            let shown = args.from.display();
            eprintln!("error: {shown}: {e}");
            if let Some(help) = miette::Diagnostic::help(&e) {
                eprintln!("  help: {help}");
            }
            return 2;
        }
    };
    let human = HumanOptions {
        color: use_color(super::ColorChoice::Auto),
        ..Default::default()
    };
    // Which rules ran is not recorded in a saved result: JUnit lists no passed rules.
    let ctx = RenderContext::new(&set, None, &args.ci, human);
    let code = i32::from(report::exit_code(&saved));
    emit(&saved, args.format, &args.ci, &ctx, code)
}

pub fn run_report(args: ReportArgs) -> i32 {
    let (set, mut errors) = policy::load(&load_options(&args.policies));
    let Some(catalog) = set.catalogs.frameworks.get(&args.framework) else {
        let keys: Vec<&str> = set.catalogs.frameworks.keys().map(String::as_str).collect();
        eprintln!(
            "error: unknown framework `{}` (valid: {})",
            args.framework,
            keys.join(", ")
        );
        return 2;
    };
    let selected = match scan::select::resolve(&set.rules, &args.target.select, &args.target.ignore)
    {
        Ok(s) => s,
        Err(mut e) => {
            errors.append(&mut e);
            print_fatal(&errors);
            return 2;
        }
    };
    let opts = ScanOptions {
        paths: args.paths.clone(),
        exclude: args.target.exclude.clone(),
        follow_links: args.target.follow_links,
        fail_on: None,
        threads: 0,
        selected: selected.clone(),
        ..Default::default()
    };
    let scanned = scan::scan(&opts, &set, errors);
    let facts = compliance::coverage::collect(&opts);
    let coverage = compliance::coverage::assess(
        &set.descriptors(),
        &selected,
        &facts,
        &scanned,
        &set.sources,
    );
    let built = compliance::build(catalog, &set.descriptors(), &scanned, &coverage);
    let base = std::env::current_dir().ok();
    let render = |out: &mut dyn Write| match args.format {
        ReportFormat::Markdown => compliance::markdown::write(&built, base.as_deref(), out),
        ReportFormat::Html => compliance::html::write(&built, base.as_deref(), out),
        ReportFormat::Json => compliance::write_json(&built, out),
    };
    let written = match &args.output {
        Some(path) => std::fs::File::create(path)
            .and_then(|f| {
                let mut w = BufWriter::new(f);
                render(&mut w)?;
                w.flush()
            })
            .map_err(|e| {
                eprintln!("error: cannot write the report to {}: {e}", path.display());
            }),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match write_or_quiet(render(&mut out).and_then(|_| out.flush())) {
                0 => Ok(()),
                _ => Err(()),
            }
        }
    };
    if written.is_err() {
        return 2;
    }
    if !scanned.errors.is_empty() {
        print_fatal(&scanned.errors);
        return 2;
    }
    // Same convention as `scan`: 1 when something fails, so the report can gate a pipeline.
    i32::from(built.summary.fail > 0)
}
