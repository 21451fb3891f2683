//! `netverify`: which ID documents Jumio supports and which your account
//! accepts, from a terminal or a CI pipeline.

mod args;
mod commands;
mod failure;
mod files;
mod lookup;
mod output;
mod session;
mod spinner;
mod ui;
mod verbose;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command, List};
use commands::{check, completions, diff, list};
use failure::Failure;
use ui::Ui;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ui = Ui { quiet: cli.quiet };
    let json = cli.json();
    let attempts = cli.verbose.then(verbose::install);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return Failure::Output(error).report(json),
    };
    // The exit code is the answer: a reader that went away (`| head`) does
    // not change it (see `output::write_stdout`).
    let result = runtime.block_on(run(cli, ui));
    if let Some(attempts) = attempts {
        attempts.flush();
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(json),
    }
}

/// The one dispatch: each command connects (or not) on its own.
async fn run(cli: Cli, ui: Ui) -> Result<(), Failure> {
    let connection = &cli.connection;
    match &cli.command {
        Command::Supported(args) => list::run(connection, ui, List::Supported, args).await,
        Command::Accepted(args) => list::run(connection, ui, List::Accepted, args).await,
        Command::Check(args) => check::run(connection, ui, args).await,
        Command::Diff(args) => diff::run(connection, ui, args).await,
        Command::Completions(args) => completions::run(args),
    }
}
