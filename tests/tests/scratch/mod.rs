//! Scratch workspaces: a copy of the `sms-api` crate built from another spec, with a small
//! downstream crate that depends on it, as a user who changed the spec would build it. Nothing
//! of the crate's Rust is changed: only the spec.
//!
//! They live in `scratch/` in cargo's target directory (so `CARGO_TARGET_DIR` moves them) and
//! build there with a target directory of their own, offline, against the workspace's lockfile.
//! A suite removes all of it when it ends ([`CleanUp`]): set `SMS_API_KEEP_SCRATCH=1` to keep
//! the build between runs (only what changed is rebuilt), and a failed suite keeps its
//! workspaces to look at.

// Used by the integration binary's spec_driven and spec_mutations modules.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::downstream_manifest;

/// The workspace this test crate belongs to.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `scratch/` in cargo's target directory.
pub fn scratch_dir() -> PathBuf {
    xtask::target_dir::of(&workspace())
        .expect("cargo names the target directory")
        .join("scratch")
}

/// A suite's turn at the scratch directory, held for the whole suite (the suites share one
/// binary, whose tests run on parallel threads, and one scratch target directory); it removes
/// the directory when it is dropped at the end of the suite, unless `SMS_API_KEEP_SCRATCH` is
/// set; after a failure, only the build (the workspaces stay, for a look at what failed).
pub struct CleanUp {
    _turn: std::sync::MutexGuard<'static, ()>,
}

/// Whose turn it is at the scratch directory.
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl CleanUp {
    /// Waits for the scratch directory, then holds it until dropped.
    pub fn hold() -> CleanUp {
        // A suite that failed still hands over its turn.
        let turn = TURN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        CleanUp { _turn: turn }
    }
}

impl Drop for CleanUp {
    fn drop(&mut self) {
        if std::env::var_os("SMS_API_KEEP_SCRATCH").is_some() {
            return;
        }
        let dir = scratch_dir();
        let _ = if std::thread::panicking() {
            std::fs::remove_dir_all(dir.join("target"))
        } else {
            std::fs::remove_dir_all(dir)
        };
    }
}

/// The workspace's spec, parsed.
pub fn spec() -> serde_json::Value {
    let text = std::fs::read_to_string(workspace().join("spec/sms.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A scratch workspace named `name`: `sms-api` generated from `spec`, and a `downstream` binary
/// crate whose `main.rs` is `main` and whose extra dependencies are `dependencies` (lines of a
/// `[dependencies]` table).
pub struct Scratch {
    pub root: PathBuf,
}

impl Scratch {
    pub fn new(name: &str, spec: &serde_json::Value, dependencies: &str, main: &str) -> Scratch {
        let ws = workspace();
        let root = scratch_dir().join(name);
        let _ = std::fs::remove_dir_all(&root);
        copy_dir(
            &ws.join("sms-api"),
            &root.join("sms-api"),
            &["fuzz", "target"],
        );
        // The generator is the workspace's own (only the spec differs): every scratch workspace
        // shares its one build instead of compiling a copy of it.
        let crate_manifest = root.join("sms-api/Cargo.toml");
        let text = std::fs::read_to_string(&crate_manifest).unwrap();
        let generator = ws.join("sms-api/codegen").display().to_string();
        std::fs::write(
            &crate_manifest,
            text.replace(
                "sms-api-codegen = { path = \"codegen\"",
                &format!("sms-api-codegen = {{ path = {generator:?}"),
            ),
        )
        .unwrap();
        let _ = std::fs::remove_dir_all(root.join("sms-api/codegen"));
        std::fs::create_dir_all(root.join("spec")).unwrap();
        std::fs::write(
            root.join("spec/sms.json"),
            serde_json::to_string_pretty(spec).unwrap(),
        )
        .unwrap();
        let manifest = std::fs::read_to_string(ws.join("Cargo.toml")).unwrap();
        let members = manifest
            .lines()
            .find(|l| l.starts_with("members"))
            .unwrap()
            .to_owned();
        let manifest = manifest
            .replace(&members, r#"members = ["sms-api", "downstream"]"#)
            .replace("exclude = [\"sms-api/fuzz\"]", "");
        std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
        std::fs::copy(ws.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
        std::fs::create_dir_all(root.join("downstream/src")).unwrap();
        std::fs::write(
            root.join("downstream/Cargo.toml"),
            downstream_manifest::manifest(
                "downstream",
                false,
                &format!("[dependencies]\n{dependencies}"),
            ),
        )
        .unwrap();
        std::fs::write(root.join("downstream/src/main.rs"), main).unwrap();
        Scratch { root }
    }

    /// `cargo <args>` in the scratch workspace; its output, or a panic with what cargo said.
    pub fn cargo(&self, args: &[&str]) -> std::process::Output {
        let target = scratch_dir().join("target");
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(args)
            .arg("--offline")
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", target)
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap()
    }

    /// Builds and runs the downstream crate; its standard output, or a panic with cargo's.
    pub fn run_downstream(&self) -> String {
        let output = self.cargo(&["run", "--quiet", "-p", "downstream"]);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "the downstream crate failed in {}:\n{stdout}\n{}",
            self.root.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }
}

fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name), &[]);
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}
