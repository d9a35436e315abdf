//! `cargo xtask validate` is the one gate: for each spec in a corpus of mutations, well-formed
//! additions and broken specs alike, validate refuses it with a message, or the crate builds
//! from it. No spec passes validate and then fails the build.
//!
//! Each accepted spec builds in a scratch workspace (`target/scratch/`, incremental after the
//! first); xtask runs from this workspace, against the scratch one (it finds its workspace from
//! the current directory).

mod scratch;

use std::process::Command;

use scratch::Scratch;
use serde_json::{Value, json};

/// What validate says of the scratch workspace's spec: `Ok` or the findings it printed.
fn validate(scratch: &Scratch) -> Result<(), String> {
    let ws = scratch::workspace();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "--offline", "--manifest-path"])
        .arg(ws.join("Cargo.toml"))
        .args(["-p", "xtask", "--", "validate"])
        .current_dir(&scratch.root)
        .env("CARGO_TARGET_DIR", ws.join("target/scratch/target"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() {
        Ok(())
    } else {
        Err(said)
    }
}

/// A mutation of the workspace's spec, and the rule validate must refuse it by (`None`: it is
/// well-formed, and the crate must build).
struct Mutation {
    name: &'static str,
    change: fn(&mut Value),
    refused_by: Option<&'static str>,
}

fn task_properties(spec: &mut Value) -> &mut Value {
    &mut spec["components"]["schemas"]["TasksResponseBody"]["properties"]
}

/// Adds a task state with its meaning, everywhere the spec explains one: the description's list
/// and `x-enum-descriptions`.
fn add_task_state(spec: &mut Value, value: &str, meaning: &str) {
    let state = &mut spec["components"]["schemas"]["TaskState"];
    state["enum"].as_array_mut().unwrap().push(json!(value));
    if let Some(list) = state["x-enum-descriptions"].as_array_mut() {
        list.push(json!(meaning));
    }
    let text = state["description"].as_str().unwrap_or_default().to_owned();
    state["description"] = json!(format!("{text}\n- `{value}`: {meaning}"));
}

fn corpus() -> Vec<Mutation> {
    vec![
        Mutation {
            name: "an optional response field",
            change: |spec| {
                task_properties(spec)["next_marker"] = json!({
                    "type": "string", "nullable": true, "description": "Where the next page starts."
                });
            },
            refused_by: None,
        },
        Mutation {
            name: "an enum value",
            change: |spec| add_task_state(spec, "PAUSED", "the task is paused."),
            refused_by: None,
        },
        Mutation {
            name: "an optional query parameter",
            change: |spec| {
                spec["paths"]["/v3/tasks"]["get"]["parameters"].as_array_mut().unwrap().push(json!({
                    "name": "sort_key", "in": "query", "required": false,
                    "description": "Sort by this field.", "schema": {"type": "string", "maxLength": 64}
                }));
            },
            refused_by: None,
        },
        Mutation {
            name: "inverted bounds",
            change: |spec| {
                let limit = spec["paths"]["/v3/tasks"]["get"]["parameters"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|p| p["name"] == "limit")
                    .unwrap();
                limit["schema"]["minimum"] = json!(300);
            },
            refused_by: Some("bounds-order"),
        },
        Mutation {
            name: "one enum description short",
            change: |spec| {
                let state = &mut spec["components"]["schemas"]["TaskState"];
                let list = state["x-enum-descriptions"]
                    .as_array_mut()
                    .expect("TaskState documents its values");
                list.pop();
            },
            refused_by: Some("enum-lists"),
        },
        Mutation {
            name: "enum values that collide as Rust names",
            change: |spec| add_task_state(spec, "running", "lower-case running."),
            refused_by: Some("enum-names"),
        },
        Mutation {
            name: "a dangling $ref",
            change: |spec| {
                task_properties(spec)["clone_server"] =
                    json!({"$ref": "#/components/schemas/Nowhere"});
            },
            refused_by: Some("ref-resolves"),
        },
        Mutation {
            name: "x-pagination naming a parameter the operation lacks",
            change: |spec| {
                spec["paths"]["/v3/tasks"]["get"]["x-pagination"]["limit"] = json!("page_size");
            },
            refused_by: Some("pagination"),
        },
    ]
}

#[test]
fn every_mutation_is_refused_by_validate_or_builds() {
    let mut report = Vec::new();
    for mutation in corpus() {
        let mut spec = scratch::spec();
        (mutation.change)(&mut spec);
        let slug: String = mutation
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let scratch = Scratch::new(&format!("mutation-{slug}"), &spec, "", "fn main() {}\n");
        match (validate(&scratch), mutation.refused_by) {
            (Err(said), Some(rule)) => {
                assert!(
                    said.contains(&format!("error[{rule}]")),
                    "{}: refused, but not by `{rule}`:\n{said}",
                    mutation.name
                );
                report.push(format!("{}: refused by {rule}", mutation.name));
            }
            (Err(said), None) => panic!(
                "{}: a well-formed change was refused:\n{said}",
                mutation.name
            ),
            (Ok(()), Some(rule)) => panic!(
                "{}: validate accepted it; `{rule}` should refuse it",
                mutation.name
            ),
            (Ok(()), None) => {
                let output = scratch.cargo(&["build", "--quiet", "-p", "sms-api"]);
                assert!(
                    output.status.success(),
                    "{}: validate accepted it, but the crate does not build:\n{}",
                    mutation.name,
                    String::from_utf8_lossy(&output.stderr)
                );
                report.push(format!("{}: accepted, and the crate builds", mutation.name));
            }
        }
    }
    println!("{}", report.join("\n"));
}
