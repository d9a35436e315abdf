//! Build script: generates the sms-api client from its spec with `sms-api-codegen`
//! (`codegen/`): read the spec, render every file, write them to `OUT_DIR`, where
//! `src/generated.rs` includes them. A broken spec stops the build with every problem found,
//! each at a JSON pointer.

use std::path::PathBuf;

/// The spec where people edit it: the workspace's `spec/`, beside this crate.
const WORKSPACE_SPEC: &str = "../spec/sms.json";
/// The copy this crate's package carries, written by `cargo xtask regen`: read where there is
/// no workspace beside the crate (a package from a registry, a vendored copy).
const PACKAGED_SPEC: &str = "spec/sms.json";

fn main() {
    if let Err(message) = run() {
        eprintln!("error: sms-api could not be generated from its spec: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(env_var("OUT_DIR")?);
    let candidates = [WORKSPACE_SPEC, PACKAGED_SPEC].map(|p| manifest_dir.join(p));
    for path in candidates.iter().filter(|p| p.is_file()) {
        println!("cargo::rerun-if-changed={}", path.display());
    }
    let spec = candidates.iter().find(|p| p.is_file()).ok_or_else(|| {
        format!("found neither {WORKSPACE_SPEC} nor {PACKAGED_SPEC} beside the crate")
    })?;
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    for file in sms_api_codegen::generate(&text).map_err(|e| e.to_string())? {
        let path = out_dir.join(file.name);
        std::fs::write(&path, file.code)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn env_var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("cargo did not set {name}"))
}
