//! The `warroom` command line: parses arguments and dispatches to the subcommands.

fn main() {}
