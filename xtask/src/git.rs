//! The few git queries `diff` needs.

use std::path::Path;
use std::process::Command;

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    crate::command::run(
        Command::new("git").current_dir(root).args(args),
        &format!("git {}", args.join(" ")),
    )
}

/// The merge base of HEAD with the main branch, the default base of a pull request: the local
/// `main`, else a remote's (`origin/main` first), as a CI checkout often has no local branch.
pub fn merge_base_with_main(root: &Path) -> Result<String, String> {
    let remotes = git(
        root,
        &[
            "for-each-ref",
            "--format=%(refname:short)",
            "refs/remotes/*/main",
        ],
    )
    .unwrap_or_default();
    let mut candidates = vec!["main".to_owned(), "origin/main".to_owned()];
    candidates.extend(remotes.lines().map(str::to_owned));
    for branch in &candidates {
        if let Ok(base) = git(root, &["merge-base", "HEAD", branch]) {
            return Ok(base.trim().to_owned());
        }
    }
    Err(format!(
        "no main branch to compare with (tried {}): name the base, `cargo xtask diff <REV or FILE>`",
        candidates.join(", ")
    ))
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
