//! `cargo xtask`: workspace tasks for sms-api.
//!
//! - `validate`: checks the spec against the rules this project lives by;
//! - `regen [--check]`: rebuilds the client and refreshes (or checks) every pinned output;
//! - `diff [BASE]`: classifies spec changes for users of sms-api, for a pull request;
//! - `build-cost [--compare-tls]`: measures a clean build and a rebuild after a spec edit;
//! - `package`: packages sms-api and builds a downstream crate and the README against it.

mod build_cost;
mod diff;
mod examples;
mod finding;
mod git;
mod package;
mod regen;
mod report;
mod spec;
mod validate;
mod validate_gate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::finding::Severity;
use crate::spec::{SPEC_PATH, Spec};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Workspace tasks for sms-api")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the spec: OpenAPI 3.0, operation ids, references, descriptions, formats, request
    /// bounds, tolerant response schemas, and every documented example against its schema.
    Validate,
    /// Rebuild the client and refresh every pinned output (snapshots of the generated API and
    /// of the decoded examples), then summarize what changed.
    Regen {
        /// Change nothing; fail, naming the stale files, when anything pinned is out of date.
        #[arg(long)]
        check: bool,
    },
    /// Compare the spec at a git revision with the working tree and classify every change
    /// as breaking or not for users of sms-api.
    Diff {
        /// The base revision (default: the merge base of HEAD with main).
        base: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        /// Exit non-zero when a breaking change is found.
        #[arg(long)]
        fail_on_breaking: bool,
    },
    /// Package sms-api as a registry serves it (`cargo package`, verified), then build and run,
    /// against the unpacked package, a downstream crate with the dependencies the README names
    /// and every Rust block of the README.
    Package,
    /// Measure a clean build of sms-api and the rebuild after a one-line spec edit, in a
    /// scratch copy of the workspace.
    BuildCost {
        /// Also measure clean builds without TLS and with native-tls.
        #[arg(long)]
        compare_tls: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Markdown,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = workspace_root().and_then(|root| run(&root, cli.command));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(root: &Path, command: Command) -> Result<(), String> {
    let root = root.to_path_buf();
    match command {
        Command::Validate => validate(&root),
        Command::Regen { check } => validate(&root).and_then(|()| {
            let report = regen::run(&root, check)?;
            println!("{report}");
            Ok(())
        }),
        Command::Diff {
            base,
            format,
            fail_on_breaking,
        } => diff(&root, base, format, fail_on_breaking),
        Command::BuildCost { compare_tls } => {
            build_cost::run(&root, compare_tls).map(|report| println!("{report}"))
        }
        Command::Package => package::run(&root).map(|report| println!("{report}")),
    }
}

/// The workspace xtask runs in, found at run time from the current directory (never a path
/// fixed at compile time: with a shared target directory, one build of xtask serves several
/// checkouts).
fn workspace_root() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    cwd.ancestors()
        .find(|dir| {
            dir.join(SPEC_PATH).is_file()
                && std::fs::read_to_string(dir.join("Cargo.toml"))
                    .is_ok_and(|manifest| manifest.contains("[workspace]"))
        })
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!(
                "{} is not inside the sms-api workspace (no Cargo.toml with [workspace] beside {SPEC_PATH} above it)",
                cwd.display()
            )
        })
}

fn validate(root: &Path) -> Result<(), String> {
    let path = root.join(SPEC_PATH);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let spec = Spec::parse(&text, SPEC_PATH)?;
    let findings = validate::run(&spec, &text);
    for finding in &findings {
        eprintln!("{finding}");
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if errors > 0 {
        return Err(format!(
            "{SPEC_PATH}: {errors} error(s), {warnings} warning(s)"
        ));
    }
    eprintln!("{SPEC_PATH}: valid ({warnings} warning(s))");
    Ok(())
}

fn diff(
    root: &Path,
    base: Option<String>,
    format: Format,
    fail_on_breaking: bool,
) -> Result<(), String> {
    let base = match base {
        Some(base) => base,
        None => git::merge_base_with_main(root)?,
    };
    let old_text = git::show(root, &base, SPEC_PATH)?;
    let old = Spec::parse(&old_text, &format!("{base}:{SPEC_PATH}"))?;
    let new = Spec::load(&root.join(SPEC_PATH))?;
    let changes = diff::compare(&old, &new);
    let name = git::short(root, &base);
    match format {
        Format::Markdown => print!("{}", report::markdown(&name, &changes)),
        Format::Json => println!("{}", report::json(&name, &changes)),
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    if fail_on_breaking && breaking > 0 {
        return Err(format!("{breaking} breaking change(s) to the spec"));
    }
    Ok(())
}
