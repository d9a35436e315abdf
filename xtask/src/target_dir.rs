//! Where cargo builds this workspace: what xtask and the scratch suites write goes there, so
//! that `CARGO_TARGET_DIR` (or `build.target-dir` in a cargo config) moves all of it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace's target directory, as cargo itself resolves it (`cargo metadata`): the
/// `CARGO_TARGET_DIR` environment variable, else the configured `build.target-dir`, else
/// `target/` in the workspace.
///
/// ```no_run
/// let target = xtask::target_dir::of(std::path::Path::new(".")).unwrap();
/// println!("packages go to {}", target.join("package").display());
/// ```
pub fn of(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    asked(Command::new(cargo).current_dir(root))
}

/// The target directory `cargo metadata`, run as `command` is set up, names.
fn asked(command: &mut Command) -> Result<PathBuf, String> {
    let output = crate::command::run(
        command.args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ]),
        "cargo metadata",
    )?;
    let metadata: serde_json::Value = serde_json::from_str(&output)
        .map_err(|e| format!("cargo metadata printed something that is not JSON: {e}"))?;
    metadata
        .get("target_directory")
        .and_then(serde_json::Value::as_str)
        .map(PathBuf::from)
        .ok_or_else(|| "cargo metadata names no target_directory".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_target_dir_moves_the_target_directory() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let elsewhere = std::env::temp_dir().join("sms-api-target-dir-test");
        let moved = asked(
            Command::new(env!("CARGO"))
                .current_dir(root)
                .env("CARGO_TARGET_DIR", &elsewhere),
        )
        .unwrap();
        assert_eq!(moved, elsewhere);
        // Without it (as this test runs), the workspace's own.
        let found = of(root).unwrap();
        assert!(found.is_absolute(), "{}", found.display());
    }
}
