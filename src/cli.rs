//! Command-line interface: argument parsing and dispatch. `main` stays thin; each subcommand
//! loads policies, runs, hands the result to a reporter, and returns the exit code.

use crate::contract::{Diagnostic, Examples, Severity};
use crate::policy::{self, LoadOptions, PolicySet, testing};
use crate::report::{self, HumanOptions, human};
use crate::scan::{self, ScanOptions};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

/// Default of `--max-findings-per-rule`: enough to investigate any one rule, small enough that
/// a rule matching millions of records neither exhausts memory nor buries the other findings
/// (GitHub code scanning also refuses SARIF runs of more than 25,000 results).
pub const DEFAULT_MAX_FINDINGS_PER_RULE: usize = 1000;

#[derive(Parser, Debug)]
#[command(
    name = "trailguard",
    version,
    about = "Policy-as-code compliance scanner for AWS CloudTrail configurations and event logs",
    after_help = "Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 errors (an error wins)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan files and directories (CloudFormation, Terraform plan/HCL, live exports, CloudTrail logs)
    Scan(ScanArgs),
    /// List every rule: id, name, severity, kind, controls
    Rules(RulesArgs),
    /// Explain a rule: why it matters, remediation, controls, good and bad examples
    Explain(ExplainArgs),
    /// Run the Rego unit tests (`test_*` rules in `*_test.rego`) of policy directories
    Test(TestArgs),
    /// Re-render a saved JSON result (`scan --format json`) in another format
    Convert(ConvertArgs),
    /// Compliance report for one framework: each mapped control's status, rules and evidence
    Report(ReportArgs),
}

#[derive(Args, Debug, Clone)]
pub struct PolicyArgs {
    /// Additional policy directory (repeatable); same METADATA contract as the built-in pack
    #[arg(long = "policy", value_name = "DIR")]
    pub policy: Vec<PathBuf>,
    /// Parameter file (JSON or YAML) with values under `trailguard.params` (repeatable)
    #[arg(long = "data", value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Do not load the built-in policy pack
    #[arg(long)]
    pub no_builtin: bool,
}

/// Which rules run and which files are walked: shared by `scan` and `report`.
#[derive(Args, Debug, Clone, Default)]
pub struct TargetArgs {
    /// Only run these rules: ids, names or id prefixes (comma-separated or repeated)
    #[arg(long, value_name = "RULES")]
    pub select: Vec<String>,
    /// Do not run these rules: ids, names or id prefixes
    #[arg(long, value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Skip paths matching this glob (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Follow symbolic links when walking directories
    #[arg(long)]
    pub follow_links: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning)
    Sarif,
    /// JUnit XML (GitLab, Jenkins, Azure test reports)
    Junit,
    /// GitHub Actions annotations (workflow commands)
    Github,
    /// GitLab Code Quality JSON
    Gitlab,
    /// Markdown summary for a pull-request comment or job summary
    Markdown,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    Info,
    /// Findings never fail the run (errors still exit 2)
    None,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format [default: human]
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<OutputFormat>,
    /// Fail (exit 1) when a finding is at or above this severity [default: info]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub target: TargetArgs,
    /// Worker threads (default: one per core)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// When to use colour in human output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// List skipped files in human output
    #[arg(long)]
    pub show_skipped: bool,
    /// Only evaluate event records at or after this time (RFC 3339 or YYYY-MM-DD, UTC)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only evaluate event records before this time (RFC 3339 or YYYY-MM-DD, UTC; exclusive)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Offer every event record to every event rule, reuse no result and count no finding by a
    /// rule's condition (slower; proves the prefilter, memoized rules and conditions change
    /// nothing)
    #[arg(long, hide = true)]
    pub no_prefilter: bool,
    /// Evaluate every rule with the regorus interpreter only, not the bytecode VM
    #[arg(long, hide = true)]
    pub interpreter_only: bool,
    /// Print only findings and errors (no skipped list, no summary)
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Largest event record read; a larger one is skipped as unparseable [default: 64MiB]
    #[arg(long, value_name = "SIZE", value_parser = crate::events::parse_limit)]
    pub max_record_size: Option<u64>,
    /// Most bytes one gzip file may decompress to (a gzip-bomb guard) [default: 16GiB]
    #[arg(long, value_name = "SIZE", value_parser = crate::events::parse_limit)]
    pub max_decompressed_size: Option<u64>,
    /// Event findings listed per rule, the first in report order; the rest are counted in the
    /// summary and still fail the run (0 = list all) [default: 1000]
    #[arg(long, value_name = "N")]
    pub max_findings_per_rule: Option<usize>,
    /// Most memory one policy evaluation may take; a rule going over is stopped with an error
    /// naming it [default: 1GiB]
    #[arg(long, value_name = "SIZE", value_parser = crate::events::parse_limit)]
    pub max_policy_memory: Option<u64>,
    /// Largest gzip expansion ratio accepted past 16 MiB of output [default: 250]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_compression_ratio: Option<u64>,
    #[command(flatten)]
    pub policies: PolicyArgs,
    #[command(flatten)]
    pub ci: CiOutputArgs,
    /// Boxed: keeps `Command::Scan` close in size to the other subcommands.
    #[command(flatten)]
    pub settings: Box<SettingsArgs>,
}

/// Which `trailguard.toml` to read (docs/configuration.md).
#[derive(Args, Debug, Clone, Default)]
pub struct ConfigFileArgs {
    /// Settings file [default: trailguard.toml in the working directory or an ancestor]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not read any trailguard.toml
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

/// `trailguard.toml` and exceptions (docs/configuration.md, docs/suppressions.md).
#[derive(Args, Debug, Clone, Default)]
pub struct SettingsArgs {
    #[command(flatten)]
    pub file: ConfigFileArgs,
    /// Waiver file [default: .trailguard/waivers.yaml in the working directory or an ancestor]
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Do not apply inline suppressions (`trailguard:ignore` in the scanned files)
    #[arg(long)]
    pub no_ignores: bool,
    /// Findings whose fingerprint is in this baseline are reported but do not fail the run
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the current findings to this baseline file (they then do not fail this run)
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    #[command(flatten)]
    pub policies: PolicyArgs,
    #[command(flatten)]
    pub config: ConfigFileArgs,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Rule id, name or alias
    pub rule: String,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub policies: PolicyArgs,
    #[command(flatten)]
    pub config: ConfigFileArgs,
}

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Policy directories to test (default: the built-in pack)
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Only run tests whose `data.<package>.<name>` contains this text
    #[arg(long, value_name = "TEXT")]
    pub run: Option<String>,
    /// Print every test, not only failures
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Parameter files, as for `scan`
    #[arg(long = "data", value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Skip checking each rule's good/bad examples through the scanner
    #[arg(long)]
    pub no_examples: bool,
}

fn load_options(p: &PolicyArgs) -> LoadOptions {
    LoadOptions {
        builtin: !p.no_builtin,
        dirs: p.policy.clone(),
        data_files: p.data.clone(),
        include_tests: false,
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

/// Print diagnostics that stop a command before it produces a report.
fn print_fatal(errors: &[Diagnostic]) {
    let report = crate::contract::ScanReport {
        version: crate::contract::REPORT_VERSION,
        tool: crate::contract::ToolInfo::current(),
        findings: Vec::new(),
        suppressed: Vec::new(),
        errors: errors.to_vec(),
        skipped: Vec::new(),
        summary: Default::default(),
    };
    let opts = HumanOptions {
        color: std::io::stderr().is_terminal(),
        quiet: true,
        ..Default::default()
    };
    let mut err = std::io::stderr().lock();
    let _ = human::render(&report, &fs_sources, &opts, &mut err);
    let _ = err.flush();
}

/// Source text for snippets, read from disk (built-in policies from the embedded pack).
fn fs_sources(path: &str) -> Option<Arc<str>> {
    if let Some(p) = path.strip_prefix(policy::BUILTIN_PREFIX) {
        return policy::BUILTIN_FILES
            .iter()
            .find(|(q, _)| *q == p)
            .map(|(_, t)| Arc::from(*t));
    }
    std::fs::read_to_string(path).ok().map(Arc::from)
}

/// Run the CLI; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Rules(args) => run_rules(args),
        Command::Explain(args) => run_explain(args),
        Command::Test(args) => run_test(args),
        Command::Convert(args) => ci::run_convert(args),
        Command::Report(args) => ci::run_report(args),
    }
}

/// A closed pipe (`| head`), also when a serializer wrapped the I/O error.
pub(crate) fn is_broken_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
        || e.get_ref().is_some_and(|inner| {
            inner
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
                || inner
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(is_broken_pipe)
        })
}

fn write_or_quiet(result: std::io::Result<()>) -> i32 {
    match result {
        Ok(()) => 0,
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            eprintln!("error: cannot write output: {e}");
            2
        }
    }
}

/// Reading limits from the flags, defaults for the rest.
fn read_limits(args: &ScanArgs) -> crate::events::Limits {
    let mut limits = crate::events::Limits::default();
    if let Some(n) = args.max_record_size {
        limits.max_record_bytes = usize::try_from(n).unwrap_or(usize::MAX);
    }
    if let Some(n) = args.max_decompressed_size {
        limits.max_decompressed_bytes = n;
    }
    if let Some(n) = args.max_compression_ratio {
        limits.max_compression_ratio = n;
    }
    limits
}

fn run_scan(mut args: ScanArgs) -> i32 {
    crate::interrupt::install();
    // trailguard.toml fills what the command line left unset; its mistakes stop the run.
    let (settings, mut bad_settings) = crate::settings::merge::for_scan(&mut args);
    let (mut set, mut errors) = policy::load(&load_options(&args.policies));
    if let Some(s) = &settings {
        bad_settings.extend(crate::settings::merge::apply_rules(s, &mut set));
    }
    if !bad_settings.is_empty() {
        bad_settings.sort_by_key(|d| (d.line, d.column));
        print_fatal(&bad_settings);
        return 2;
    }
    let (exceptions, exception_errors) = crate::suppress::load(
        &crate::suppress::Request {
            no_ignores: args.settings.no_ignores,
            waivers: args.settings.waivers.clone(),
            baseline: args.settings.baseline.clone(),
            write_baseline: args.settings.write_baseline.clone(),
        },
        &set.rules,
    );
    errors.extend(exception_errors);
    let selected = match scan::select::resolve(&set.rules, &args.target.select, &args.target.ignore)
    {
        Ok(s) => s,
        Err(mut e) => {
            errors.append(&mut e);
            print_fatal(&errors);
            return 2;
        }
    };
    let fail_on = match args.fail_on.unwrap_or(FailOn::Info) {
        FailOn::Critical => Some(Severity::Critical),
        FailOn::High => Some(Severity::High),
        FailOn::Medium => Some(Severity::Medium),
        FailOn::Low => Some(Severity::Low),
        FailOn::Info => Some(Severity::Info),
        FailOn::None => None,
    };
    let mut window = crate::events::TimeWindow::default();
    for (flag, value, slot) in [
        ("--since", &args.since, &mut window.since),
        ("--until", &args.until, &mut window.until),
    ] {
        if let Some(v) = value {
            match crate::events::Timestamp::parse_bound(v) {
                Ok(t) => *slot = Some(t),
                Err(e) => {
                    print_fatal(&[Diagnostic {
                        code: "cli::time".into(),
                        path: flag.into(),
                        line: None,
                        column: None,
                        message: format!("invalid {flag} `{v}`: {e}"),
                        help: Some(
                            "use RFC 3339 (2024-05-01T00:00:00Z) or a date (2024-05-01)".into(),
                        ),
                    }]);
                    return 2;
                }
            }
        }
    }
    let opts = ScanOptions {
        window,
        no_prefilter: args.no_prefilter,
        interpreter_only: args.interpreter_only,
        progress: std::io::stderr().is_terminal() && !args.quiet,
        exceptions,
        paths: args.paths.clone(),
        exclude: args.target.exclude.clone(),
        follow_links: args.target.follow_links,
        fail_on,
        threads: args.threads,
        selected,
        limits: read_limits(&args),
        max_findings_per_rule: args
            .max_findings_per_rule
            .unwrap_or(DEFAULT_MAX_FINDINGS_PER_RULE),
        max_policy_memory: args.max_policy_memory,
    };
    let report = scan::scan(&opts, &set, errors);
    // An interrupted scan's report is incomplete: print nothing that could pass for a result.
    if crate::interrupt::requested() {
        eprintln!("interrupted");
        return crate::interrupt::EXIT_CODE;
    }
    let code = i32::from(report::exit_code(&report));
    let human = HumanOptions {
        color: use_color(args.color),
        show_skipped: args.show_skipped,
        quiet: args.quiet,
        ..Default::default()
    };
    let ctx = ci::RenderContext::new(&set, Some(&opts.selected), &args.ci, human);
    ci::emit(
        &report,
        args.format.unwrap_or(OutputFormat::Human),
        &args.ci,
        &ctx,
        code,
    )
}

/// The rules `scan` would load here: the command line's policy flags, completed by
/// `trailguard.toml` as for `scan` (policy directories, parameter files, `no-builtin`,
/// severity overrides). `None` after printing what stopped it.
fn load_listed(mut policies: PolicyArgs, config: &ConfigFileArgs) -> Option<PolicySet> {
    let (settings, mut bad) = crate::settings::merge::for_listing(config, &mut policies);
    let (mut set, errors) = policy::load(&load_options(&policies));
    if let Some(s) = &settings {
        bad.extend(crate::settings::merge::apply_rules(s, &mut set));
    }
    if !bad.is_empty() {
        bad.sort_by_key(|d| (d.line, d.column));
        print_fatal(&bad);
        return None;
    }
    if !errors.is_empty() {
        print_fatal(&errors);
        return None;
    }
    Some(set)
}

fn run_rules(args: RulesArgs) -> i32 {
    let Some(set) = load_listed(args.policies, &args.config) else {
        return 2;
    };
    let fmt = match args.format {
        ListFormat::Text => report::RulesFormat::Text,
        ListFormat::Json => report::RulesFormat::Json,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write_or_quiet(report::rules_table(&set.descriptors(), fmt, &mut out))
}

fn run_explain(args: ExplainArgs) -> i32 {
    let Some(set) = load_listed(args.policies, &args.config) else {
        return 2;
    };
    let Some(rule) = set.rule(&args.rule) else {
        eprintln!(
            "error: unknown rule `{}` (`trailguard rules` lists them)",
            args.rule
        );
        return 2;
    };
    let examples = rule
        .examples
        .as_deref()
        .and_then(|t| Examples::parse(t).ok())
        .map(|e| report::Examples {
            by_format: e
                .formats
                .into_iter()
                .map(|(k, v)| {
                    (
                        k,
                        report::FormatExamples {
                            good: v.good,
                            bad: v.bad,
                        },
                    )
                })
                .collect(),
        });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write_or_quiet(report::explain(
        &rule.desc,
        examples.as_ref(),
        &mut out,
        use_color(args.color),
    ))
}

fn run_test(args: TestArgs) -> i32 {
    let opts = LoadOptions {
        builtin: args.dirs.is_empty(),
        dirs: args.dirs.clone(),
        data_files: args.data.clone(),
        include_tests: true,
    };
    let (set, errors): (PolicySet, _) = policy::load(&opts);
    if !errors.is_empty() {
        print_fatal(&errors);
    }
    let results = testing::run(&set, args.run.as_deref());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut code = testing::print(&results, args.verbose, &mut out);
    if !args.no_examples {
        let examples = scan::examples::check(&set);
        code = code.max(scan::examples::print(&examples, args.verbose, &mut out));
    }
    if !errors.is_empty() { 2 } else { code }
}

// --- CI outputs, `convert` and `report` (issue 4): argument types here, logic in `ci`. ---

mod ci;

#[derive(Args, Debug, Clone, Default)]
pub struct CiOutputArgs {
    /// Also write FORMAT to PATH (repeatable), e.g. `--output sarif=trailguard.sarif`;
    /// standard output keeps `--format`
    #[arg(long = "output", short = 'o', value_name = "FORMAT=PATH", value_parser = ci::parse_output)]
    pub outputs: Vec<(OutputFormat, PathBuf)>,
    /// SARIF: include suppressed findings with `suppressions[]` (GitHub ignores them and would
    /// open alerts; DefectDojo and GitLab honour them)
    #[arg(long)]
    pub sarif_include_suppressed: bool,
    /// Markdown: rows of the findings table before it is cut
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub markdown_max_findings: usize,
}

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The saved JSON result (`-` reads standard input)
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// Format written to standard output
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub ci: CiOutputArgs,
    #[command(flatten)]
    pub policies: PolicyArgs,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Markdown,
    /// One self-contained page (inline CSS, no external assets)
    Html,
    Json,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Framework key from the control catalogs, e.g. `pci-dss-v4.0`
    #[arg(long, value_name = "KEY")]
    pub framework: String,
    /// Files or directories to scan
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub policies: PolicyArgs,
}
