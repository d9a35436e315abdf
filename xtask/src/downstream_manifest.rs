//! The manifest of a small crate that depends on sms-api as a user's crate would: written by
//! `cargo xtask package` (against the unpacked package) and by the scratch workspaces of
//! `tests/tests/scratch/mod.rs` (through this library).

/// A `Cargo.toml` for the binary crate `name` with these dependency tables (`[dependencies]`
/// and the rest, as text); `own_workspace` makes it a workspace of its own.
pub fn manifest(name: &str, own_workspace: bool, dependency_tables: &str) -> String {
    let workspace = if own_workspace { "\n[workspace]\n" } else { "" };
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\
         {workspace}\n{}\n",
        dependency_tables.trim()
    )
}
