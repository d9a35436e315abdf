//! The tasks of `cargo xtask`, as a library: `main.rs` parses the command line, and the
//! workspace's tests call the same code in-process (validate, the downstream manifest) instead
//! of running cargo again.

pub mod brings;
pub mod build_cost;
pub mod build_reuse;
pub mod command;
pub mod diff;
pub mod downstream_manifest;
pub mod examples;
pub mod git;
pub mod layers;
pub mod package;
pub mod public_api;
pub mod regen;
pub mod report;
pub mod semver;
pub mod target_dir;
pub mod validate;

use std::path::Path;

/// Where the spec lives, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/sms.json";
/// Where revisions before it held the spec (it was named for ListTasks alone).
pub const FORMER_SPEC_PATHS: [&str; 1] = ["spec/sms-list-tasks.json"];
/// The rules revisions before the spec declared them held in Rust: the request-id header and
/// the longest IAM token (`x-request-id-header`, the `iam_token` scheme's `x-max-length`).
/// `cargo xtask diff` reads an older revision with them.
pub const FORMER_RULES: (&str, u64) = ("X-Request-Id", 16_384);

/// sms-api's version, from its manifest.
pub fn crate_version(root: &Path) -> Result<String, String> {
    let manifest = std::fs::read_to_string(root.join("sms-api/Cargo.toml"))
        .map_err(|e| format!("cannot read sms-api/Cargo.toml: {e}"))?;
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .map(str::to_owned)
        .ok_or_else(|| "sms-api/Cargo.toml has no version".to_owned())
}
