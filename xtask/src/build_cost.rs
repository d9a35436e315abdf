//! `cargo xtask build-cost`: what building sms-api costs on this machine: a clean build, and
//! the rebuild after a one-line spec edit, in a scratch copy of the workspace (so that neither
//! this checkout nor its `target/` is touched).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::SPEC_PATH;

/// The line edited for the rebuild: a description in the spec.
const EDITED: &str = "\"Task name, defined by the user.";

/// Runs the measurements and returns the report.
pub fn run(root: &Path, compare_tls: bool) -> Result<String, String> {
    let scratch = std::env::temp_dir().join(format!("sms-api-build-cost-{}", std::process::id()));
    let result = measure(root, &scratch, compare_tls);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn measure(root: &Path, scratch: &Path, compare_tls: bool) -> Result<String, String> {
    copy_tracked_files(root, scratch)?;
    let mut report = vec![format!(
        "sms-api build cost ({} cores):",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    )];
    let clean = timed_build(scratch, "default", &[])?;
    report.push(format!(
        "  clean build, default features (rustls, ring): {clean:>6.1} s"
    ));
    let spec = scratch.join(SPEC_PATH);
    let text = std::fs::read_to_string(&spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    if !text.contains(EDITED) {
        return Err(format!(
            "{SPEC_PATH} no longer contains {EDITED:?}: update xtask/src/build_cost.rs"
        ));
    }
    std::fs::write(
        &spec,
        text.replacen(EDITED, "\"Task name, chosen by the user.", 1),
    )
    .map_err(|e| format!("cannot edit {}: {e}", spec.display()))?;
    let rebuild = timed_build(scratch, "default", &[])?;
    report.push(format!(
        "  rebuild after a one-line spec edit:       {rebuild:>6.1} s"
    ));
    if compare_tls {
        let none = timed_build(scratch, "no-tls", &["--no-default-features"])?;
        report.push(format!(
            "  clean build, no TLS (--no-default-features): {none:>4.1} s  (TLS costs {:.1} s)",
            clean - none
        ));
        for (feature, what) in [
            ("native-tls", "system OpenSSL"),
            ("rustls-aws-lc", "aws-lc from C"),
        ] {
            let seconds = timed_build(
                scratch,
                feature,
                &["--no-default-features", "--features", feature],
            )?;
            report.push(format!(
                "  clean build, {feature} ({what}): {seconds:>6.1} s"
            ));
        }
    }
    Ok(report.join("\n"))
}

/// Copies the files git tracks (and the untracked ones it does not ignore) into `to`.
fn copy_tracked_files(root: &Path, to: &Path) -> Result<(), String> {
    let output = Command::new("git")
        .current_dir(root)
        .args([
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            "-z",
        ])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err("`git ls-files` failed: run this in a git checkout".to_owned());
    }
    for name in output.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = PathBuf::from(String::from_utf8_lossy(name).into_owned());
        let (from, target) = (root.join(&name), to.join(&name));
        if !from.is_file() {
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::copy(&from, &target)
            .map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
    }
    Ok(())
}

/// Seconds that `cargo build -p sms-api` takes in `dir`, with its own target directory per
/// `variant`.
fn timed_build(dir: &Path, variant: &str, flags: &[&str]) -> Result<f64, String> {
    eprintln!(
        "building sms-api ({variant}, {})...",
        if flags.is_empty() {
            "default features".to_owned()
        } else {
            flags.join(" ")
        }
    );
    let started = Instant::now();
    let status = Command::new(env!("CARGO"))
        .current_dir(dir)
        .args(["build", "--quiet", "--package", "sms-api"])
        .args(flags)
        .env("CARGO_TARGET_DIR", dir.join(format!("target-{variant}")))
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the {variant} build failed"));
    }
    Ok(started.elapsed().as_secs_f64())
}
