//! `cargo xtask package`: sms-api as a registry would serve it.
//!
//! 1. `cargo package -p sms-api-codegen -p sms-api` builds both packages together (sms-api's
//!    build-dependency is the generator) and verifies that each builds on its own;
//! 2. both `.crate`s are unpacked, as a registry client would unpack them (the generator
//!    served to the dependents through `[patch.crates-io]`, as the registry would serve it);
//! 3. a downstream crate is made with exactly the `[dependencies]` and `[dev-dependencies]` the
//!    README's install block names (sms-api pointing at the unpacked package), holding every
//!    Rust block of the README in the file its first line names (`// In src/main.rs`,
//!    `// In tests/listing.rs`...); it is built and its tests are run: the README's tests are
//!    the downstream test of the mocks, standing on the package alone.
//!
//! Everything lives under `package-check/` in cargo's target directory (`CARGO_TARGET_DIR`
//! moves it), beside the `.crate` files in `package/`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Packages, unpacks, builds and runs; the report to print.
pub fn run(root: &Path) -> Result<String, String> {
    let version = crate::crate_version(root)?;
    let target_dir = crate::target_dir::of(root)?;
    let mut report = String::new();

    let files = cargo(
        root,
        &["package", "-p", "sms-api", "--allow-dirty", "--list"],
        &[],
    )?;
    let files: Vec<&str> = files.lines().filter(|l| !l.is_empty()).collect();
    if !files.contains(&"spec/sms.json") {
        return Err("the package does not carry spec/sms.json: run `cargo xtask regen`".into());
    }
    let codegen_files = cargo(
        root,
        &[
            "package",
            "-p",
            "sms-api-codegen",
            "--allow-dirty",
            "--list",
        ],
        &[],
    )?;
    let started = Instant::now();
    cargo(
        root,
        &[
            "package",
            "-p",
            "sms-api-codegen",
            "-p",
            "sms-api",
            "--allow-dirty",
        ],
        &[],
    )?;
    let _ = writeln!(
        report,
        "package: {}/sms-api-{version}.crate ({} files) and sms-api-codegen-{version}.crate ({} files), packaged together, each verified (it builds on its own) in {:.0} s",
        target_dir.join("package").display(),
        files.len(),
        codegen_files.lines().filter(|l| !l.is_empty()).count(),
        started.elapsed().as_secs_f64()
    );

    let check = target_dir.join("package-check");
    std::fs::create_dir_all(&check)
        .map_err(|e| format!("cannot create {}: {e}", check.display()))?;
    for name in ["sms-api", "sms-api-codegen"] {
        let _ = std::fs::remove_dir_all(check.join(format!("{name}-{version}")));
        let crate_file = target_dir.join(format!("package/{name}-{version}.crate"));
        crate::command::run(
            Command::new("tar")
                .arg("-xzf")
                .arg(&crate_file)
                .arg("-C")
                .arg(&check),
            "tar",
        )?;
    }
    let unpacked = check.join(format!("sms-api-{version}"));
    let registry = format!(
        "\n[patch.crates-io]\nsms-api-codegen = {{ path = {:?} }}\n",
        check
            .join(format!("sms-api-codegen-{version}"))
            .display()
            .to_string()
    );

    let readme = std::fs::read_to_string(root.join("README.md"))
        .map_err(|e| format!("cannot read README.md: {e}"))?;
    let downstream = check.join("downstream");
    let files = write_downstream(&downstream, &readme, &unpacked, &registry, root)?;
    let target = check.join("target");
    let clean = !target.exists();
    let env = [("CARGO_TARGET_DIR", target.as_path())];
    let started = Instant::now();
    cargo(
        &downstream,
        &["build", "--offline", "--quiet", "--all-targets"],
        &env,
    )?;
    let built = started.elapsed().as_secs_f64();
    let output = cargo(&downstream, &["test", "--offline", "--quiet"], &env)?;
    let passed = passed_tests(&output);
    if passed == 0 {
        return Err(format!(
            "the downstream crate ran no test of the README's:\n{output}"
        ));
    }
    // Counted in a crate that depends on sms-api with its default features only.
    let plain = check.join("plain");
    write_plain(&plain, &unpacked, &registry, root)?;
    let runtime = crate_count(&plain, "normal")?;
    let with_build = crate_count(&plain, "normal,build")?;
    let _ = writeln!(
        report,
        "downstream crate: built against the unpacked package in {built:.0} s ({}), with the README's dependencies; \
         its {} README Rust block(s) in {}; {passed} README test(s) passed",
        if clean {
            "clean"
        } else {
            "incremental: remove package-check/target in the target directory for a clean figure"
        },
        files.blocks,
        files.paths.join(", ")
    );
    let _ = write!(
        report,
        "sms-api's dependency tree (default features): {runtime} crates at run time, {with_build} with build-time ones"
    );
    Ok(report)
}

/// Where the README's blocks went in the downstream crate.
#[derive(Debug)]
struct Files {
    blocks: usize,
    paths: Vec<String>,
}

/// Writes the downstream crate: the README's dependencies, and each of its Rust blocks in the
/// file its first line names; a module file is declared in `src/main.rs`.
fn write_downstream(
    dir: &Path,
    readme: &str,
    unpacked: &Path,
    registry: &str,
    root: &Path,
) -> Result<Files, String> {
    let path = unpacked.display().to_string();
    let mut manifest = String::new();
    for (table, lines) in readme_dependencies(readme)? {
        let _ = writeln!(manifest, "\n[{table}]");
        for line in lines {
            if line.trim_start().starts_with("sms-api") {
                let _ = writeln!(manifest, "{}", local_sms_api(&line, &path));
            } else {
                let _ = writeln!(manifest, "{line}");
            }
        }
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for (i, block) in rust_blocks(readme).iter().enumerate() {
        let file = block
            .lines()
            .next()
            .and_then(|l| l.trim().strip_prefix("// In "))
            .and_then(|rest| rest.split_whitespace().next())
            .filter(|f| f.ends_with(".rs") && (f.starts_with("src/") || f.starts_with("tests/")))
            .ok_or_else(|| {
                format!(
                    "README.md's Rust block {} does not say which file it is: its first line \
                     must be `// In src/<file>.rs` or `// In tests/<file>.rs`",
                    i + 1
                )
            })?;
        if files.iter().any(|(f, _)| f == file) {
            return Err(format!("README.md has two Rust blocks for {file}"));
        }
        files.push((file.to_owned(), block.clone()));
    }
    let modules: String = files
        .iter()
        .filter_map(|(f, _)| f.strip_prefix("src/")?.strip_suffix(".rs"))
        .filter(|m| *m != "main" && *m != "lib")
        .map(|m| format!("#[allow(dead_code, unused_imports)]\nmod {m};\n"))
        .collect();
    match files.iter_mut().find(|(f, _)| f == "src/main.rs") {
        Some((_, main)) => *main = format!("{modules}{main}"),
        None => files.push((
            "src/main.rs".to_owned(),
            format!("{modules}fn main() {{}}\n"),
        )),
    }
    manifest.push_str(registry);
    write_crate(dir, "downstream", &manifest, &files, root)?;
    Ok(Files {
        blocks: files.len(),
        paths: files.into_iter().map(|(f, _)| f).collect(),
    })
}

/// The README's `sms-api = ...` line, pointing at the unpacked package with the same features.
fn local_sms_api(line: &str, path: &str) -> String {
    let features = line
        .split_once("features")
        .and_then(|(_, rest)| rest.split_once('['))
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| format!(", features = [{}]", list.trim()))
        .unwrap_or_default();
    format!("sms-api = {{ path = {path:?}{features} }}")
}

/// The number of tests cargo reported as passed.
fn passed_tests(output: &str) -> usize {
    output
        .lines()
        .filter_map(|l| l.split_once("test result: ok. ")?.1.split_once(" passed"))
        .filter_map(|(n, _)| n.trim().parse::<usize>().ok())
        .sum()
}

/// A crate that depends on the unpacked package with its default features, and nothing else.
fn write_plain(dir: &Path, unpacked: &Path, registry: &str, root: &Path) -> Result<(), String> {
    let dependency = format!(
        "sms-api = {{ path = {:?} }}",
        unpacked.display().to_string()
    );
    write_crate(
        dir,
        "plain",
        &format!("\n[dependencies]\n{dependency}\n{registry}"),
        &[("src/lib.rs".to_owned(), "pub use sms_api;\n".to_owned())],
        root,
    )
}

/// Writes a crate of its own (its own `[workspace]`): `name`, with these dependency tables and
/// source files, and the workspace's lockfile, which pins the versions the package was tested
/// with. Files left from an earlier run are removed.
fn write_crate(
    dir: &Path,
    name: &str,
    dependency_tables: &str,
    files: &[(String, String)],
    root: &Path,
) -> Result<(), String> {
    let manifest = crate::downstream_manifest::manifest(name, true, dependency_tables);
    for stale in ["src", "tests"] {
        let _ = std::fs::remove_dir_all(dir.join(stale));
    }
    for (file, source) in files {
        let path = dir.join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, source)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(())
}

/// The tables of the README's first TOML block that names sms-api under `[dependencies]`:
/// each table's name and its non-empty lines.
fn readme_dependencies(readme: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    let block = fenced(readme, "toml")
        .into_iter()
        .find(|b| b.contains("[dependencies]") && b.contains("sms-api"))
        .ok_or("README.md has no ```toml block with a [dependencies] table naming sms-api")?;
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    for line in block.lines() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            tables.push((name.to_owned(), Vec::new()));
        } else if let Some((_, lines)) = tables.last_mut()
            && !trimmed.is_empty()
        {
            lines.push(line.to_owned());
        }
    }
    Ok(tables)
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
                          ```rust\n// In src/main.rs\nfn main() {}\n```\n\n```sh\ncargo test\n```\n\n\
                          ```rust\n// In src/part.rs (a module)\nuse a::b;\n```\n\n\
                          ```rust\n// In tests/t.rs\n#[test]\nfn t() {}\n```\n";

    #[test]
    fn the_readme_gives_its_dependencies_and_rust_blocks() {
        assert_eq!(
            readme_dependencies(README).unwrap(),
            [
                (
                    "dependencies".to_owned(),
                    vec![
                        "sms-api = \"0.1\"".to_owned(),
                        "tokio = { version = \"1\" }".to_owned()
                    ]
                ),
                (
                    "dev-dependencies".to_owned(),
                    vec!["sms-api = { version = \"0.1\", features = [\"mock\"] }".to_owned()]
                )
            ]
        );
        assert_eq!(rust_blocks(README).len(), 3);
        assert!(readme_dependencies("no blocks").is_err());
        assert_eq!(
            passed_tests("test result: ok. 4 passed; 0 failed\ntest result: ok. 2 passed; 0"),
            6
        );
    }

    #[test]
    fn the_downstream_crate_uses_the_unpacked_package_and_the_named_files() {
        let dir = std::env::temp_dir().join(format!("xtask-package-test-{}", std::process::id()));
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let registry =
            "\n[patch.crates-io]\nsms-api-codegen = { path = \"/p/sms-api-codegen-0.1.0\" }\n";
        let files =
            write_downstream(&dir, README, Path::new("/p/sms-api-0.1.0"), registry, root).unwrap();
        assert_eq!(files.paths, ["src/main.rs", "src/part.rs", "tests/t.rs"]);
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains(
                "[dependencies]\nsms-api = { path = \"/p/sms-api-0.1.0\" }\ntokio = { version = \"1\" }\n\n\
                 [dev-dependencies]\nsms-api = { path = \"/p/sms-api-0.1.0\", features = [\"mock\"] }\n"
            ),
            "{manifest}"
        );
        assert!(
            manifest.contains(
                "[patch.crates-io]\nsms-api-codegen = { path = \"/p/sms-api-codegen-0.1.0\" }"
            ),
            "the generator comes from its package, as a registry would serve it: {manifest}"
        );
        let main = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();
        assert!(
            main.starts_with(
                "#[allow(dead_code, unused_imports)]\nmod part;\n// In src/main.rs\nfn main() {}"
            ),
            "{main}"
        );
        assert!(dir.join("tests/t.rs").is_file());
        let no_file =
            "```toml\n[dependencies]\nsms-api = \"0.1\"\n```\n```rust\nfn main() {}\n```\n";
        let error = write_downstream(&dir, no_file, Path::new("/p"), "", root).unwrap_err();
        assert!(
            error.contains("block 1 does not say which file it is"),
            "{error}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
