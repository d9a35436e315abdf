//! `cargo xtask public-api`: the public API of sms-api, read from rustdoc's JSON (nightly), must
//! name no type or trait of a dependency before 1.0 that the crate hides on purpose
//! (progenitor, progenitor-client, reqwest, hyper): an upgrade of any of them would otherwise
//! be a breaking release of sms-api. The features checked are the ones a user turns on for
//! everything but their own reqwest client (`reqwest-client`, the one opt-in exception).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The crates whose names must not appear in the public API.
pub const HIDDEN_CRATES: &[&str] = &[
    "progenitor",
    "progenitor_client",
    "reqwest",
    "hyper",
    "hyper_util",
];

/// The features the check builds the docs with.
const FEATURES: &str = "mock,metrics,fake";

/// Builds sms-api's rustdoc JSON with nightly and reports every public item that names a type
/// of [`HIDDEN_CRATES`]; `Err` lists them, or says why the docs could not be built.
pub fn run(root: &Path) -> Result<String, String> {
    // rustup's `cargo` (not `$CARGO`, one toolchain's own binary): only it takes `+nightly`.
    let status = Command::new("cargo")
        .current_dir(root)
        .args([
            "+nightly",
            "rustdoc",
            "-q",
            "-p",
            "sms-api",
            "--features",
            FEATURES,
        ])
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .status()
        .map_err(|e| format!("cannot run cargo +nightly rustdoc: {e}"))?;
    if !status.success() {
        return Err("cargo +nightly rustdoc failed (is the nightly toolchain installed? `rustup toolchain install nightly`)".into());
    }
    let path = crate::target_dir::of(root)?.join("doc/sms_api.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    let found = hidden_names(&doc);
    if found.is_empty() {
        Ok(format!(
            "the public API (features {FEATURES}) names no type of {}",
            HIDDEN_CRATES.join(", ")
        ))
    } else {
        Err(format!(
            "the public API names types of crates it must hide (make them crate-visible, or wrap them in the crate's own types):\n  {}",
            found.join("\n  ")
        ))
    }
}

/// `item name (file:line): crate::path` for every reference, in the crate's own public items,
/// to an item of a hidden crate.
pub fn hidden_names(doc: &Value) -> Vec<String> {
    let crate_of = |id: &Value| -> Option<&str> {
        let path = doc["paths"].get(id.to_string())?;
        let krate = path["crate_id"].as_u64()?;
        doc["external_crates"][krate.to_string()]["name"].as_str()
    };
    let mut found = Vec::new();
    for item in doc["index"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
    {
        let implementation = &item["inner"]["impl"];
        // Another crate's blanket impl, or an auto trait's, applies to a type: not its API.
        if item["crate_id"] != 0
            || !implementation["blanket_impl"].is_null()
            || implementation["is_synthetic"] == true
        {
            continue;
        }
        let owner = format!(
            "{} ({}:{})",
            item["name"].as_str().unwrap_or("impl"),
            item["span"]["filename"].as_str().unwrap_or("?"),
            item["span"]["begin"][0]
        );
        let mut references = Vec::new();
        collect(&item["inner"], &mut references);
        for (id, path) in references {
            if crate_of(id).is_some_and(|c| HIDDEN_CRATES.contains(&c)) {
                found.push(format!("{owner}: {path}"));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Every `{"id": .., "path": ".."}` (a resolved path) under `value`.
fn collect<'a>(value: &'a Value, out: &mut Vec<(&'a Value, &'a str)>) {
    match value {
        Value::Object(map) => {
            if let (Some(id), Some(Value::String(path))) = (map.get("id"), map.get("path")) {
                out.push((id, path));
            }
            map.values().for_each(|v| collect(v, out));
        }
        Value::Array(values) => values.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_public_item_naming_a_hidden_crates_type_is_found() {
        let doc = json!({
            "external_crates": {"7": {"name": "reqwest"}, "8": {"name": "http"}},
            "paths": {"100": {"crate_id": 7}, "101": {"crate_id": 8}},
            "index": {
                "1": {"crate_id": 0, "name": "http_client", "span": {"filename": "builder.rs", "begin": [196, 0]},
                      "inner": {"function": {"sig": {"inputs": [["client", {"resolved_path": {"id": 100, "path": "reqwest::Client"}}]]}}}},
                "2": {"crate_id": 0, "name": "status", "span": {"filename": "error.rs", "begin": [1, 0]},
                      "inner": {"function": {"sig": {"output": {"resolved_path": {"id": 101, "path": "http::StatusCode"}}}}}},
                "3": {"crate_id": 7, "name": "Client", "inner": {}}
            }
        });
        assert_eq!(
            hidden_names(&doc),
            ["http_client (builder.rs:196): reqwest::Client"]
        );
    }
}
