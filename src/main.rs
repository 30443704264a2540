//! The `trailguard` binary: parse arguments, run, exit with the command's code.

use clap::Parser;

fn main() {
    trailguard::allocator::keep_freed_memory();
    let cli = trailguard::cli::Cli::parse();
    std::process::exit(trailguard::cli::run(cli));
}
