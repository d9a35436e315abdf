//! Running a tool and keeping what it printed.

use std::process::Command;

/// Runs `command` (called `name` in messages); its standard output, or an error with everything
/// it printed.
pub fn run(command: &mut Command, name: &str) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {name}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{name}` failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
