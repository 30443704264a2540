//! The `trailguard` binary: parse arguments, run, exit with the command's code.

use clap::Parser;

fn main() {
    let cli = trailguard::cli::Cli::parse();
    std::process::exit(trailguard::cli::run(cli));
}
