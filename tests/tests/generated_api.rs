//! Pins the code generated from the spec: a spec change shows up here as a reviewable diff of
//! the Rust API it produces. After an intended change, `cargo xtask regen` refreshes them.
//!
//! The client is pinned a piece at a time (`sms_api_codegen::pieces`: each type with its impls,
//! each builder, each method of `Client`), so that a reviewer's `git diff` shows the pieces a
//! spec change touched and no others.

use std::path::Path;

/// The prefix of the client's piece snapshots, which `cargo xtask regen` removes before writing.
const CLIENT_PIECE: &str = xtask::regen::PIECE_PREFIXES[0];

#[test]
fn generated_client_and_types() {
    let pieces = sms_api_codegen::pieces::split(sms_api::generated_source::CLIENT)
        .expect("the generated client parses");
    let names: Vec<&str> = pieces.iter().map(|(name, _)| name.as_str()).collect();
    insta::assert_snapshot!("client_pieces", names.join("\n"));
    for (name, text) in &pieces {
        insta::assert_snapshot!(format!("client__{name}"), text);
    }
    // A piece the client no longer has leaves no snapshot behind, pinning nothing.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let stale: Vec<String> = std::fs::read_dir(&dir)
        .expect("the snapshots directory")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|file| {
            file.strip_prefix(CLIENT_PIECE)
                .and_then(|rest| rest.strip_suffix(".snap"))
                .is_some_and(|name| !names.contains(&name))
        })
        .collect();
    assert!(
        stale.is_empty(),
        "snapshots of pieces the client no longer has: {stale:?}; `cargo xtask regen` removes them"
    );
}

#[test]
fn generated_open_enums() {
    insta::assert_snapshot!("open_enums", sms_api::generated_source::OPEN_ENUMS);
}

#[test]
fn generated_mock_helpers() {
    insta::assert_snapshot!("mock", sms_api::generated_source::MOCK);
}

#[test]
fn generated_regions() {
    insta::assert_snapshot!("regions", sms_api::generated_source::REGIONS);
}

#[test]
fn generated_operations() {
    insta::assert_snapshot!("operations", sms_api::generated_source::OPERATIONS);
}

#[test]
fn generated_waiters() {
    insta::assert_snapshot!("waiters", sms_api::generated_source::WAITERS);
}
