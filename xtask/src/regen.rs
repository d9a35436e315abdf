//! `cargo xtask regen [--check]`: rebuilds the client and refreshes, or checks, every pinned
//! output: the copy of the spec the sms-api package carries, and the insta snapshots of the
//! generated API and of the decoded documented examples.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the pinned snapshots live, relative to the workspace root.
const SNAPSHOTS: &str = "tests/tests/snapshots";

/// The snapshots pinned a piece at a time (`tests/tests/generated_api.rs`): `regen` removes them
/// before the tests write them again, so that a piece the generated code no longer has takes
/// its snapshot with it.
pub const PIECE_PREFIXES: [&str; 1] = ["generated_api__client__"];

/// The package whose tests pin the outputs.
const TESTS_PACKAGE: &str = "sms-api-tests";

/// The copy of the spec inside the sms-api crate, so that its package carries it: the build
/// script reads `spec/` beside the crate in this workspace, and this copy where there is none
/// (a package from a registry, a vendored copy).
pub const PACKAGED_SPEC: &str = "sms-api/spec/sms.json";

/// Refreshes (or, with `check`, verifies) the pinned outputs. Returns the report to print, or
/// an error naming the stale files and the command to run.
pub fn run(root: &Path, check: bool) -> Result<String, String> {
    let copy = packaged_spec(root, check)?;
    let dir = root.join(SNAPSHOTS);
    let before = read_snapshots(&dir)?;
    remove_pending(&dir)?;
    if !check {
        remove_pieces(&dir)?;
    }
    // Compile errors and non-snapshot assertions still fail; snapshot mismatches are collected.
    let mode = if check { "new" } else { "always" };
    let mut args = vec!["test", "--quiet", "--package", TESTS_PACKAGE];
    let pinning = snapshot_tests(root)?;
    for test in &pinning {
        args.extend(["--test", test.as_str()]);
    }
    let status = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(&args)
        .env("INSTA_UPDATE", mode)
        .env("INSTA_FORCE_PASS", "1")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        remove_pending(&dir)?;
        return Err(format!(
            "`cargo {}` failed (see above): fix the build or the tests first",
            args.join(" ")
        ));
    }
    if check {
        let mut stale = remove_pending(&dir)?;
        stale.extend(copy);
        if stale.is_empty() {
            return Ok(format!(
                "pinned outputs are up to date ({} snapshots)",
                before.len()
            ));
        }
        let list: Vec<String> = stale
            .iter()
            .map(|p| format!("    {}", relative(root, p)))
            .collect();
        return Err(format!(
            "{} pinned output(s) are stale:\n{}\nrun `cargo xtask regen` and commit the result",
            stale.len(),
            list.join("\n")
        ));
    }
    let after = read_snapshots(&dir)?;
    let copied = match copy {
        Some(path) => format!("  updated  {} (copied from spec/)\n", relative(root, &path)),
        None => String::new(),
    };
    Ok(format!("{copied}{}", summary(root, &before, &after)))
}

/// Writes the package's copy of the spec, or with `check` compares it; the copy's path when it
/// was (or is) out of date.
fn packaged_spec(root: &Path, check: bool) -> Result<Option<PathBuf>, String> {
    let source = root.join(crate::SPEC_PATH);
    let copy = root.join(PACKAGED_SPEC);
    let text = std::fs::read_to_string(&source)
        .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    if std::fs::read_to_string(&copy).is_ok_and(|current| current == text) {
        return Ok(None);
    }
    if !check {
        if let Some(dir) = copy.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&copy, &text)
            .map_err(|e| format!("cannot write {}: {e}", copy.display()))?;
    }
    Ok(Some(copy))
}

/// The test files that pin snapshots (those that use insta): only they need to run, not the
/// slower suites beside them.
fn snapshot_tests(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join("tests/tests");
    let mut tests = Vec::new();
    for entry in
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?
    {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs")
            && std::fs::read_to_string(&path).is_ok_and(|text| text.contains("insta::"))
        {
            tests.push(stem.to_owned());
        }
    }
    tests.sort();
    if tests.is_empty() {
        return Err(format!(
            "no test in {} uses insta: nothing pins the outputs",
            dir.display()
        ));
    }
    Ok(tests)
}

fn read_snapshots(dir: &Path) -> Result<BTreeMap<PathBuf, String>, String> {
    let mut found = BTreeMap::new();
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "snap") {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            found.insert(path, text);
        }
    }
    Ok(found)
}

/// Deletes the `.snap.new` files insta left, returning what they would have replaced.
fn remove_pending(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut stale = Vec::new();
    for entry in
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?
    {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.to_string_lossy().ends_with(".snap.new") {
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            stale.push(path.with_extension(""));
        }
    }
    stale.sort();
    Ok(stale)
}

/// Removes the piece snapshots (`PIECE_PREFIXES`) in `dir`.
fn remove_pieces(dir: &Path) -> Result<(), String> {
    for entry in
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?
    {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if PIECE_PREFIXES.iter().any(|prefix| name.starts_with(prefix)) {
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// What changed between two sets of snapshots, one line per file.
pub fn summary(
    root: &Path,
    before: &BTreeMap<PathBuf, String>,
    after: &BTreeMap<PathBuf, String>,
) -> String {
    let mut lines = Vec::new();
    for (path, new) in after {
        match before.get(path) {
            None => lines.push(format!(
                "  added    {} ({} lines)",
                relative(root, path),
                new.lines().count()
            )),
            Some(old) if old != new => {
                let (removed, added) = line_changes(old, new);
                lines.push(format!(
                    "  updated  {} (+{added} -{removed} lines)",
                    relative(root, path)
                ));
            }
            Some(_) => {}
        }
    }
    let changed = lines.len();
    for path in before.keys().filter(|path| !after.contains_key(*path)) {
        lines.push(format!("  removed  {}", relative(root, path)));
    }
    let unchanged = after.len() - changed;
    if lines.is_empty() {
        format!("nothing changed: {unchanged} pinned outputs are up to date")
    } else {
        format!(
            "{} pinned output(s) changed, {unchanged} unchanged:\n{}\nreview with `git diff {SNAPSHOTS}` and commit them with the spec",
            lines.len(),
            lines.join("\n")
        )
    }
}

/// Lines only in `old` and lines only in `new` (as multisets: enough for a summary).
fn line_changes(old: &str, new: &str) -> (usize, usize) {
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for line in old.lines() {
        *counts.entry(line).or_default() += 1;
    }
    for line in new.lines() {
        *counts.entry(line).or_default() -= 1;
    }
    let removed = counts.values().filter(|c| **c > 0).sum::<i64>();
    let added = -counts.values().filter(|c| **c < 0).sum::<i64>();
    (
        removed.unsigned_abs() as usize,
        added.unsigned_abs() as usize,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_tests_that_pin_snapshots_run() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert_eq!(
            snapshot_tests(root).unwrap(),
            ["documented_examples", "generated_api"]
        );
    }

    #[test]
    fn the_summary_names_added_updated_and_removed_files() {
        let root = Path::new("/w");
        let before = BTreeMap::from([
            (PathBuf::from("/w/s/a.snap"), "x\ny\n".to_owned()),
            (PathBuf::from("/w/s/b.snap"), "same\n".to_owned()),
        ]);
        let mut after = before.clone();
        after.insert(PathBuf::from("/w/s/a.snap"), "x\nz\nw\n".to_owned());
        after.insert(PathBuf::from("/w/s/c.snap"), "new\n".to_owned());
        let text = summary(root, &before, &after);
        assert!(
            text.starts_with("2 pinned output(s) changed, 1 unchanged:"),
            "{text}"
        );
        assert!(text.contains("  updated  s/a.snap (+2 -1 lines)"), "{text}");
        assert!(text.contains("  added    s/c.snap (1 lines)"), "{text}");
        assert_eq!(
            summary(root, &before, &before),
            "nothing changed: 2 pinned outputs are up to date"
        );
        after.remove(Path::new("/w/s/b.snap"));
        let text = summary(root, &before, &after);
        assert!(text.contains("  removed  s/b.snap"), "{text}");
    }
}
