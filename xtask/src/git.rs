//! The few git queries `diff` needs.

use std::path::Path;
use std::process::Command;

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| format!("`git {}` printed non-UTF-8", args.join(" ")))
}

/// The merge base of HEAD with `main`, the default base of a pull request.
pub fn merge_base_with_main(root: &Path) -> Result<String, String> {
    git(root, &["merge-base", "HEAD", "main"])
        .map(|s| s.trim().to_owned())
        .map_err(|e| format!("{e}\n    (name a base revision: cargo xtask diff <REV>)"))
}

/// The text of `path` at revision `rev`.
pub fn show(root: &Path, rev: &str, path: &str) -> Result<String, String> {
    git(root, &["show", &format!("{rev}:{path}")])
}

/// A short name for `rev`.
pub fn short(root: &Path, rev: &str) -> String {
    git(root, &["rev-parse", "--short", rev])
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| rev.to_owned())
}
