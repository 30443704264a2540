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

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
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
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Fail (exit 1) when a finding is at or above this severity
    #[arg(long, value_enum, default_value_t = FailOn::Info)]
    pub fail_on: FailOn,
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
    /// Offer every event record to every event rule (slower; proves the prefilter changes nothing)
    #[arg(long, hide = true)]
    pub no_prefilter: bool,
    /// Evaluate event rules with the regorus interpreter only, not the bytecode VM
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
    /// Largest gzip expansion ratio accepted past 16 MiB of output [default: 250]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_compression_ratio: Option<u64>,
    #[command(flatten)]
    pub policies: PolicyArgs,
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
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Rule id, name or alias
    pub rule: String,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub policies: PolicyArgs,
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
    }
}

fn write_or_quiet(result: std::io::Result<()>) -> i32 {
    match result {
        Ok(()) => 0,
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
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

fn run_scan(args: ScanArgs) -> i32 {
    crate::interrupt::install();
    let (set, mut errors) = policy::load(&load_options(&args.policies));
    let selected = match scan::select::resolve(&set.rules, &args.select, &args.ignore) {
        Ok(s) => s,
        Err(mut e) => {
            errors.append(&mut e);
            print_fatal(&errors);
            return 2;
        }
    };
    let fail_on = match args.fail_on {
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
        paths: args.paths.clone(),
        exclude: args.exclude.clone(),
        follow_links: args.follow_links,
        fail_on,
        threads: args.threads,
        selected,
        limits: read_limits(&args),
    };
    let report = scan::scan(&opts, &set, errors);
    // An interrupted scan's report is incomplete: print nothing that could pass for a result.
    if crate::interrupt::requested() {
        eprintln!("interrupted");
        return crate::interrupt::EXIT_CODE;
    }
    let code = i32::from(report::exit_code(&report));
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        OutputFormat::Json => report::json::write(&report, &mut out),
        OutputFormat::Human => {
            let opts = HumanOptions {
                color: use_color(args.color),
                show_skipped: args.show_skipped,
                quiet: args.quiet,
                ..Default::default()
            };
            human::render(&report, &fs_sources, &opts, &mut out)
        }
    };
    match write_or_quiet(written) {
        0 => code,
        c => c,
    }
}

fn run_rules(args: RulesArgs) -> i32 {
    let (set, errors) = policy::load(&load_options(&args.policies));
    if !errors.is_empty() {
        print_fatal(&errors);
        return 2;
    }
    let fmt = match args.format {
        ListFormat::Text => report::RulesFormat::Text,
        ListFormat::Json => report::RulesFormat::Json,
    };
    let mut out = std::io::stdout().lock();
    write_or_quiet(report::rules_table(&set.descriptors(), fmt, &mut out))
}

fn run_explain(args: ExplainArgs) -> i32 {
    let (set, errors) = policy::load(&load_options(&args.policies));
    if !errors.is_empty() {
        print_fatal(&errors);
        return 2;
    }
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
    let mut out = std::io::stdout().lock();
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
    let mut out = std::io::stdout().lock();
    let mut code = testing::print(&results, args.verbose, &mut out);
    if !args.no_examples {
        let examples = scan::examples::check(&set);
        code = code.max(scan::examples::print(&examples, args.verbose, &mut out));
    }
    if !errors.is_empty() { 2 } else { code }
}
