//! `cargo xtask`: workspace tasks for sms-api (the command line; the tasks are `lib.rs`'s).
//!
//! - `validate`: checks the spec against the rules this project lives by;
//! - `regen [--check]`: rebuilds the client and refreshes (or checks) every pinned output;
//! - `diff [BASE] [HEAD]`: what a spec change does on the wire and to the Rust crate;
//! - `build-cost [--compare-tls]`: measures a clean build and a rebuild after a spec edit;
//! - `build-reuse`: checks that the README's test command reuses what its main job built;
//! - `package`: packages sms-api and builds a downstream crate and the README against it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use sms_api_codegen::model::Model;
use sms_api_codegen::problem::Severity;
use xtask::{
    FORMER_RULES, FORMER_SPEC_PATHS, SPEC_PATH, build_cost, build_reuse, crate_version, diff, git,
    layers as layering, package, regen, report, semver, validate,
};

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
    /// Compare two versions of the spec and classify every change as breaking or not for
    /// users of sms-api. Each side is a file or a git revision.
    Diff {
        /// The base: a spec file, or a git revision (default: the merge base of HEAD with the
        /// main branch, local or remote).
        base: Option<String>,
        /// The head: a spec file, or a git revision (default: the working tree's spec).
        head: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        /// Exit non-zero on a change that breaks clients on the wire (`breaking`), or code that
        /// compiles against the crate (`major`).
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
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
    /// Build the main job (`cargo run --bin sms`) and the README's test command (`cargo test
    /// --workspace --no-run`), and check that the second builds nothing of the first again.
    BuildReuse,
    /// Check, in rustdoc's JSON (needs the nightly toolchain), that sms-api's public API names
    /// no type of progenitor, progenitor-client, reqwest or hyper.
    PublicApi,
    /// Check that the runtime's imports run one way (`sms-api/src`, in the layers of
    /// `xtask/src/layers.rs`) and list the imports of a higher layer.
    Layers,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Breaking,
    Major,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// For a pull-request comment or a job summary.
    Markdown,
    /// For tools: the changes, and the top-level `"semver"`.
    Json,
    /// GitHub Actions annotations on the spec file.
    Github,
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
            head,
            format,
            fail_on,
        } => diff(&root, base, head, format, fail_on),
        Command::BuildCost { compare_tls } => {
            build_cost::run(&root, compare_tls).map(|report| println!("{report}"))
        }
        Command::BuildReuse => build_reuse::run(&root).map(|report| println!("{report}")),
        Command::Package => package::run(&root).map(|report| println!("{report}")),
        Command::Layers => layers(&root),
        Command::PublicApi => xtask::public_api::run(&root).map(|report| println!("{report}")),
    }
}

/// The workspace xtask runs in, found at run time from the current directory (never a path
/// fixed at compile time: with a shared target directory, one build of xtask serves several
/// checkouts).
fn workspace_root() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    workspace_around(&cwd)
}

/// The sms-api workspace that holds `dir`.
fn workspace_around(cwd: &Path) -> Result<PathBuf, String> {
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

fn layers(root: &Path) -> Result<(), String> {
    let report = layering::check(&root.join("sms-api/src"))?;
    println!(
        "sms-api/src: {} imports between files, in layers (lowest first): {}",
        report.imports.len(),
        layering::LAYERS.join(" < ")
    );
    for (file, to) in &report.upward {
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        println!("  upward: {file} -> {}", to.join(", "));
    }
    if report.broken.is_empty() {
        println!(
            "one way: no ring of files, {} upward file(s) of at most {}",
            report.upward.len(),
            layering::MAX_UPWARD
        );
        Ok(())
    } else {
        Err(report.broken.join("\n"))
    }
}

fn validate(root: &Path) -> Result<(), String> {
    let path = root.join(SPEC_PATH);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let findings = validate::run(&text);
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
    head: Option<String>,
    format: Format,
    fail_on: Option<FailOn>,
) -> Result<(), String> {
    let base = match base {
        Some(base) => base,
        None => git::merge_base_with_main(root)?,
    };
    let (old_name, old) = side(root, &base)?;
    let (new_name, new) = match head {
        Some(head) => side(root, &head)?,
        None => {
            let path = root.join(SPEC_PATH);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            ("working tree".to_owned(), read_model(&text, SPEC_PATH)?)
        }
    };
    let changes = diff::compare(&old, &new);
    let version = crate_version(root)?;
    match format {
        Format::Markdown => print!(
            "{}",
            report::markdown(&old_name, &new_name, &changes, &version)
        ),
        Format::Json => println!("{}", report::json(&old_name, &new_name, &changes, &version)),
        Format::Github => println!("{}", report::github(&changes, SPEC_PATH)),
    }
    let breaking = changes.iter().filter(|c| c.breaking()).count();
    let major = changes
        .iter()
        .filter(|c| c.semver() == semver::Semver::Major)
        .count();
    match fail_on {
        Some(FailOn::Breaking) if breaking > 0 => {
            Err(format!("{breaking} breaking change(s) to the spec"))
        }
        Some(FailOn::Major) if major > 0 => Err(format!(
            "{major} change(s) that need a major version of sms-api"
        )),
        _ => Ok(()),
    }
}

/// One side of a diff: a spec file when `what` names one, else the spec at git revision `what`.
fn side(root: &Path, what: &str) -> Result<(String, Model), String> {
    let file = Path::new(what);
    if file.is_file() {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        return Ok((what.to_owned(), read_model(&text, what)?));
    }
    // A revision from before the spec's rename holds it at its former path.
    let (path, text) = std::iter::once(SPEC_PATH)
        .chain(FORMER_SPEC_PATHS)
        .find_map(|path| Some((path, git::show(root, what, path).ok()?)))
        .ok_or_else(|| {
            format!("`{what}` is neither a file nor a git revision holding {SPEC_PATH}")
        })?;
    let name = git::short(root, what);
    let origin = format!("{name}:{path}");
    Ok((name, read_model(&with_former_rules(&text), &origin)?))
}

/// A revision's spec, with the rules the client held in Rust before the spec declared them
/// ([`FORMER_RULES`]) added where it declares none, so that older revisions still compare.
fn with_former_rules(text: &str) -> String {
    let Ok(mut raw) = serde_json::from_str::<serde_json::Value>(text) else {
        return text.to_owned();
    };
    let (request_id, token_max) = FORMER_RULES;
    if raw.get("x-request-id-header").is_none() {
        raw["x-request-id-header"] = request_id.into();
    }
    let scheme = raw.pointer_mut("/components/securitySchemes/iam_token");
    if let Some(scheme) = scheme.filter(|s| s.get("x-max-length").is_none()) {
        scheme["x-max-length"] = token_max.into();
    }
    raw.to_string()
}

/// A side of a diff read as the generator reads it (`Model::read`): the diff compares specs
/// that generate, and a side that does not is an error naming its problems.
fn read_model(text: &str, origin: &str) -> Result<Model, String> {
    match Model::read(text) {
        Ok(model) => Ok(model),
        Err(problems) => {
            let errors: Vec<String> = problems
                .iter()
                .filter(|p| p.is_error())
                .map(ToString::to_string)
                .collect();
            Err(format!(
                "{origin} does not generate, so there is no model to compare:\n{}",
                errors.join("\n")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_path_buf()
    }

    #[test]
    fn either_side_of_a_diff_is_a_file_or_a_revision() {
        let root = root();
        let spec = root.join(SPEC_PATH);
        let (name, from_file) = side(&root, spec.to_str().unwrap()).unwrap();
        assert_eq!(name, spec.to_str().unwrap());
        let (_, from_head) = side(&root, "HEAD").unwrap();
        assert!(!from_file.operations.is_empty() && !from_head.operations.is_empty());
        let Err(error) = side(&root, "no-such-file-or-revision") else {
            panic!("a name that is neither a file nor a revision was taken");
        };
        assert!(
            error.contains("is neither a file nor a git revision"),
            "{error}"
        );
    }

    #[test]
    fn the_workspace_is_found_from_a_directory_inside_it() {
        assert_eq!(
            workspace_around(&root().join("sms-api/src")).unwrap(),
            root()
        );
        let outside = workspace_around(Path::new("/")).unwrap_err();
        assert!(
            outside.contains("is not inside the sms-api workspace"),
            "{outside}"
        );
    }
}
