//! `completions`: a shell completion script on stdout.

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs};
use crate::failure::Failure;
use crate::output::write_stdout;

pub fn run(args: &CompletionsArgs) -> Result<(), Failure> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "netverify", &mut script);
    write_stdout(|stdout| stdout.write_all(&script))
}
