//! `cargo xtask package`: sms-api as a registry would serve it.
//!
//! 1. `cargo package -p sms-api` builds the package and verifies that it builds on its own;
//! 2. the `.crate` is unpacked, as a registry client would unpack it;
//! 3. a downstream crate is made with exactly the `[dependencies]` the README's install block
//!    names (sms-api pointing at the unpacked package, with `mock`), holding every Rust block of
//!    the README as a module; it is built, and every block with a `main` is run, then the
//!    downstream crate lists tasks from the package's fake service.
//!
//! Everything lives under `target/package-check/`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// How many tasks the downstream crate lists from the fake service.
const TASKS: usize = 450;

/// Packages, unpacks, builds and runs; the report to print.
pub fn run(root: &Path) -> Result<String, String> {
    let version = crate::crate_version(root)?;
    let mut report = String::new();

    let files = cargo(
        root,
        &["package", "-p", "sms-api", "--allow-dirty", "--list"],
        &[],
    )?;
    let files: Vec<&str> = files.lines().filter(|l| !l.is_empty()).collect();
    if !files.contains(&"spec/sms-list-tasks.json") {
        return Err(
            "the package does not carry spec/sms-list-tasks.json: run `cargo xtask regen`".into(),
        );
    }
    let started = Instant::now();
    cargo(root, &["package", "-p", "sms-api", "--allow-dirty"], &[])?;
    let _ = writeln!(
        report,
        "package: target/package/sms-api-{version}.crate, {} files, verified (it builds on its own) in {:.0} s",
        files.len(),
        started.elapsed().as_secs_f64()
    );

    let check = root.join("target/package-check");
    let unpacked = check.join(format!("sms-api-{version}"));
    let _ = std::fs::remove_dir_all(&unpacked);
    std::fs::create_dir_all(&check)
        .map_err(|e| format!("cannot create {}: {e}", check.display()))?;
    let crate_file = root.join(format!("target/package/sms-api-{version}.crate"));
    crate::command::run(
        Command::new("tar")
            .arg("-xzf")
            .arg(&crate_file)
            .arg("-C")
            .arg(&check),
        "tar",
    )?;

    let readme = std::fs::read_to_string(root.join("README.md"))
        .map_err(|e| format!("cannot read README.md: {e}"))?;
    let downstream = check.join("downstream");
    let blocks = write_downstream(&downstream, &readme, &unpacked, root)?;
    let target = check.join("target");
    let clean = !target.exists();
    let env = [("CARGO_TARGET_DIR", target.as_path())];
    let started = Instant::now();
    cargo(&downstream, &["build", "--offline", "--quiet"], &env)?;
    let built = started.elapsed().as_secs_f64();
    let output = cargo(&downstream, &["run", "--offline", "--quiet"], &env)?;
    let listed = format!("listed {TASKS} tasks");
    if !output.contains(&listed) {
        return Err(format!(
            "the downstream crate did not list its tasks:\n{output}"
        ));
    }
    // Counted in a crate that depends on sms-api with its default features only.
    let plain = check.join("plain");
    write_plain(&plain, &unpacked, root)?;
    let runtime = crate_count(&plain, "normal")?;
    let with_build = crate_count(&plain, "normal,build")?;
    let _ = writeln!(
        report,
        "downstream crate: built against the unpacked package in {built:.0} s ({}), with the README's dependencies; \
         {} README Rust block(s) compiled, {} run; {listed}",
        if clean {
            "clean"
        } else {
            "incremental: remove target/package-check/target for a clean figure"
        },
        blocks.compiled,
        blocks.run
    );
    let _ = write!(
        report,
        "sms-api's dependency tree (default features): {runtime} crates at run time, {with_build} with build-time ones"
    );
    Ok(report)
}

/// The README's blocks in the downstream crate.
struct Blocks {
    compiled: usize,
    run: usize,
}

/// Writes the downstream crate: the README's dependencies, its Rust blocks, a main that runs
/// them and lists tasks.
fn write_downstream(
    dir: &Path,
    readme: &str,
    unpacked: &Path,
    root: &Path,
) -> Result<Blocks, String> {
    let dependencies = readme_dependencies(readme)?;
    let path = unpacked.display().to_string();
    let dependencies: Vec<String> = dependencies
        .iter()
        .map(|line| {
            if line.trim_start().starts_with("sms-api") {
                format!("sms-api = {{ path = {path:?}, features = [\"mock\"] }}")
            } else {
                line.clone()
            }
        })
        .collect();
    let mut main = String::from(
        "//! Written by `cargo xtask package`: the README's Rust blocks, against the packaged crate.\n\n",
    );
    let mut calls = String::new();
    let mut blocks = Blocks {
        compiled: 0,
        run: 0,
    };
    for (i, block) in rust_blocks(readme).iter().enumerate() {
        // A block's `main` is private to its module: a runner beside it calls it.
        let runner = if block.contains("fn main(") {
            let _ = writeln!(calls, "    readme_{i}::run();");
            blocks.run += 1;
            format!(
                "\npub(super) fn run() {{\n    super::Outcome::outcome(main(), \"README block {i}\");\n}}\n"
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            main,
            "#[allow(dead_code, unused_imports)]\nmod readme_{i} {{\n{block}{runner}}}\n"
        );
        blocks.compiled += 1;
    }
    let _ = write!(
        main,
        r#"/// A block's `main` may return `()` or a `Result`.
trait Outcome {{
    fn outcome(self, block: &str);
}}

impl Outcome for () {{
    fn outcome(self, _: &str) {{}}
}}

impl<E: std::fmt::Debug> Outcome for Result<(), E> {{
    fn outcome(self, block: &str) {{
        if let Err(error) = self {{
            panic!("{{block}} failed: {{error:?}}");
        }}
    }}
}}

fn main() {{
{calls}    list();
}}

/// Lists tasks from the package's fake service, as a user's test would.
#[tokio::main]
async fn list() {{
    use futures_util::TryStreamExt;
    use sms_api::prelude::*;

    let tasks = (0..{TASKS})
        .map(|i| {{
            let mut task = sms_api::types::TasksResponseBody::default();
            task.id = Some(format!("task-{{i}}"));
            task
        }})
        .collect();
    let fake = sms_api::mock::FakeService::start(tasks).await;
    let client = Client::builder()
        .endpoint(fake.base_url())
        .credentials(Credentials::iam_token("token"))
        .build()
        .expect("a client");
    let listed: Vec<_> = client.list_tasks().paginate().by_item().try_collect().await.expect("every task");
    println!("listed {{}} tasks", listed.len());
}}
"#
    );
    write_crate(
        dir,
        "downstream",
        &dependencies.join("\n"),
        ("src/main.rs", &main),
        root,
    )?;
    Ok(blocks)
}

/// A crate that depends on the unpacked package with its default features, and nothing else.
fn write_plain(dir: &Path, unpacked: &Path, root: &Path) -> Result<(), String> {
    let dependency = format!(
        "sms-api = {{ path = {:?} }}",
        unpacked.display().to_string()
    );
    write_crate(
        dir,
        "plain",
        &dependency,
        ("src/lib.rs", "pub use sms_api;\n"),
        root,
    )
}

/// Writes a crate of its own (its own `[workspace]`): `name`, with these `[dependencies]` lines
/// and one source file, and the workspace's lockfile, which pins the versions the package was
/// tested with.
fn write_crate(
    dir: &Path,
    name: &str,
    dependencies: &str,
    (file, source): (&str, &str),
    root: &Path,
) -> Result<(), String> {
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n{dependencies}\n"
    );
    std::fs::create_dir_all(dir.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(file), source).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(())
}

/// The lines of the `[dependencies]` table in the README's first TOML block that names sms-api.
fn readme_dependencies(readme: &str) -> Result<Vec<String>, String> {
    let block = fenced(readme, "toml")
        .into_iter()
        .find(|b| b.contains("[dependencies]") && b.contains("sms-api"))
        .ok_or("README.md has no ```toml block with a [dependencies] table naming sms-api")?;
    Ok(block
        .lines()
        .skip_while(|l| l.trim() != "[dependencies]")
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect())
}

/// The README's ```rust blocks.
fn rust_blocks(readme: &str) -> Vec<String> {
    fenced(readme, "rust")
}

/// The contents of every fenced block whose info string is `language`.
fn fenced(text: &str, language: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_start().strip_prefix("```") == Some(language) => {
                current = Some(String::new());
            }
            Some(block) if line.trim_start().starts_with("```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

/// The crates in sms-api's dependency tree, following `edges`, in the downstream crate.
fn crate_count(downstream: &Path, edges: &str) -> Result<usize, String> {
    let tree = cargo(
        downstream,
        &[
            "tree",
            "--offline",
            "-p",
            "sms-api",
            "-e",
            edges,
            "--prefix",
            "none",
        ],
        &[],
    )?;
    let mut crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split(" (").next())
        .filter(|l| !l.is_empty())
        .collect();
    crates.sort_unstable();
    crates.dedup();
    Ok(crates.len())
}

/// Runs cargo in `dir`; its standard output, or an error with what it printed.
fn cargo(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Result<String, String> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(args).current_dir(dir);
    for (name, value) in env {
        command.env(name, value);
    }
    crate::command::run(&mut command, &format!("cargo {}", args.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const README: &str = "# x\n\n```toml\n[dependencies]\nsms-api = \"0.1\"\ntokio = { version = \"1\" }\n\n\
                          [dev-dependencies]\nsms-api = { version = \"0.1\", features = [\"mock\"] }\n```\n\n\
                          ```rust\nfn main() {}\n```\n\n```sh\ncargo test\n```\n\n```rust\nuse a::b;\n```\n";

    #[test]
    fn the_readme_gives_its_dependencies_and_rust_blocks() {
        assert_eq!(
            readme_dependencies(README).unwrap(),
            ["sms-api = \"0.1\"", "tokio = { version = \"1\" }"]
        );
        assert_eq!(rust_blocks(README), ["fn main() {}\n", "use a::b;\n"]);
        assert!(readme_dependencies("no blocks").is_err());
    }

    #[test]
    fn the_downstream_crate_uses_the_unpacked_package() {
        let dir = std::env::temp_dir().join(format!("xtask-package-test-{}", std::process::id()));
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let blocks = write_downstream(&dir, README, Path::new("/p/sms-api-0.1.0"), root).unwrap();
        assert_eq!((blocks.compiled, blocks.run), (2, 1));
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains(
                "sms-api = { path = \"/p/sms-api-0.1.0\", features = [\"mock\"] }\ntokio"
            ),
            "{manifest}"
        );
        let main = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();
        assert!(main.contains("mod readme_0 {\nfn main() {}"), "{main}");
        assert!(
            main.contains("super::Outcome::outcome(main(), \"README block 0\");"),
            "{main}"
        );
        assert!(main.contains("    readme_0::run();\n"), "{main}");
        assert!(!main.contains("readme_1::run()"), "{main}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
