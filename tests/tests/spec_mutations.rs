//! `cargo xtask validate` is the one gate: for each spec in a corpus of mutations, well-formed
//! additions and broken specs alike, validate refuses it with a message, or the crate builds
//! from it. No spec passes validate and then fails the build.
//!
//! And additive changes are minor for the crate: downstream code written against today's API
//! ([`DOWNSTREAM`]) compiles against the crate built from each addition (a response field, an
//! enum value, a query parameter, an operation), while removing a field it reads breaks it.
//!
//! validate runs in-process (`xtask::validate::run`, the code `cargo xtask validate` runs);
//! each spec it accepts is type-checked with the downstream crate in a scratch workspace
//! (`target/scratch/`, `cargo check`, incremental after the first): the build script generates
//! the crate from the spec, and the compiler checks it and the downstream code against it.

mod scratch;

use scratch::Scratch;
use serde_json::{Value, json};

/// What validate says of `spec`: `Ok` or every problem it found, as `cargo xtask validate`
/// prints them.
fn validate(spec: &Value) -> Result<(), String> {
    let problems = xtask::validate::run(&serde_json::to_string_pretty(spec).unwrap());
    if problems.iter().any(|p| p.is_error()) {
        let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Err(said.join("\n"))
    } else {
        Ok(())
    }
}

/// A mutation of the workspace's spec, and what must come of it.
struct Mutation {
    name: &'static str,
    change: fn(&mut Value),
    expect: Expect,
}

/// What a mutation must do.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
    /// validate refuses it, by this rule.
    Refused(&'static str),
    /// validate accepts it, the crate builds, and the downstream code still compiles: a minor
    /// (or no) change for the crate.
    Minor,
    /// validate accepts it and the crate builds, but the downstream code no longer compiles.
    Major,
}

/// Code a user wrote against today's API: the builder with its parameters, the types built the
/// stable way (from `Default`), fields read, enums matched, structs destructured with `..`.
const DOWNSTREAM: &str = r#"
use sms_api::prelude::*;
use sms_api::types::{ListTasksResponse, TaskState, TasksResponseBody};

fn uses(client: &Client) -> usize {
    let request = client.list_tasks().state(TaskState::Running).name("web").limit(10).offset(0);
    let mut task = TasksResponseBody::default();
    task.id = Some("t-1".into());
    task.name = Some("web".into());
    let mut page = ListTasksResponse::default();
    page.tasks = Some(vec![task]);
    let state = match TaskState::from_wire("RUNNING") {
        TaskState::Running => 1,
        _ => 0,
    };
    let TasksResponseBody { id, name, .. } = TasksResponseBody::default();
    drop(request);
    state + page.count.unwrap_or_default() as usize + id.map_or(0, |i| i.len()) + name.map_or(0, |n| n.len())
}

fn main() {
    let _ = uses;
}
"#;

fn task_properties(spec: &mut Value) -> &mut Value {
    &mut spec["components"]["schemas"]["TasksResponseBody"]["properties"]
}

/// Adds a task state with its meaning: the value, and its meaning in `x-enum-descriptions` (the
/// one place the spec writes it).
fn add_task_state(spec: &mut Value, value: &str, meaning: &str) {
    let state = &mut spec["components"]["schemas"]["TaskState"];
    state["enum"].as_array_mut().unwrap().push(json!(value));
    state["x-enum-descriptions"]
        .as_array_mut()
        .expect("TaskState documents its values")
        .push(json!(meaning));
}

fn corpus() -> Vec<Mutation> {
    vec![
        Mutation {
            name: "no change",
            change: |_| {},
            expect: Expect::Minor,
        },
        Mutation {
            name: "an operation",
            change: |spec| {
                spec["paths"]["/v3/tasks/{task_id}"] = json!({"get": {
                    "operationId": "show_task",
                    "summary": "Show one migration task",
                    "description": "Shows the migration task with this ID.",
                    "parameters": [{"name": "task_id", "in": "path", "required": true,
                        "description": "The task's ID.", "schema": {"type": "string", "maxLength": 255}}],
                    "responses": {"200": {"description": "The task.", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/TasksResponseBody"}}}}}
                }});
            },
            expect: Expect::Minor,
        },
        Mutation {
            name: "a response field removed",
            change: |spec| {
                task_properties(spec)
                    .as_object_mut()
                    .unwrap()
                    .remove("name");
                // The `name` filter selected on it, and the waiters showed it: validate refuses
                // the field's removal until neither does.
                for parameter in spec["paths"]["/v3/tasks"]["get"]["parameters"]
                    .as_array_mut()
                    .unwrap()
                {
                    if parameter["name"] == "name" {
                        parameter.as_object_mut().unwrap().remove("x-filter-field");
                    }
                }
                // ...and the waiters' failure messages no longer show it.
                let waiters = spec["paths"]["/v3/tasks"]["get"]["x-waiters"]
                    .as_object_mut()
                    .unwrap();
                for waiter in waiters.values_mut() {
                    for acceptor in waiter["acceptors"].as_array_mut().unwrap() {
                        if let Some(show) = acceptor.get_mut("show").and_then(|s| s.as_array_mut())
                        {
                            show.retain(|field| field != "name");
                        }
                    }
                }
            },
            expect: Expect::Major,
        },
        Mutation {
            name: "an optional response field",
            change: |spec| {
                task_properties(spec)["next_marker"] = json!({
                    "type": "string", "nullable": true, "description": "Where the next page starts."
                });
            },
            expect: Expect::Minor,
        },
        Mutation {
            name: "an enum value",
            change: |spec| add_task_state(spec, "PAUSED", "the task is paused."),
            expect: Expect::Minor,
        },
        Mutation {
            name: "an optional query parameter",
            change: |spec| {
                spec["paths"]["/v3/tasks"]["get"]["parameters"].as_array_mut().unwrap().push(json!({
                    "name": "sort_key", "in": "query", "required": false,
                    "description": "Sort by this field.", "schema": {"type": "string", "maxLength": 64}
                }));
            },
            expect: Expect::Minor,
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
            expect: Expect::Refused("bounds-order"),
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
            expect: Expect::Refused("enum-lists"),
        },
        Mutation {
            name: "enum values that collide as Rust names",
            change: |spec| add_task_state(spec, "running", "lower-case running."),
            expect: Expect::Refused("enum-names"),
        },
        Mutation {
            name: "a dangling $ref",
            change: |spec| {
                task_properties(spec)["clone_server"] =
                    json!({"$ref": "#/components/schemas/Nowhere"});
            },
            expect: Expect::Refused("ref-resolves"),
        },
        Mutation {
            name: "x-watch keying a list by a member its elements lack",
            change: |spec| {
                spec["paths"]["/v3/tasks"]["get"]["x-watch"]["fields"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("sub_tasks[nome].progress"));
            },
            expect: Expect::Refused("waiters"),
        },
        Mutation {
            name: "x-watch with a path that is neither a field nor a keyed list member",
            change: |spec| {
                spec["paths"]["/v3/tasks"]["get"]["x-watch"]["fields"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("sub_tasks[name.progress"));
            },
            expect: Expect::Refused("waiters"),
        },
        Mutation {
            name: "x-pagination naming a parameter the operation lacks",
            change: |spec| {
                spec["paths"]["/v3/tasks"]["get"]["x-pagination"]["limit"] = json!("page_size");
            },
            expect: Expect::Refused("pagination"),
        },
    ]
}

#[test]
fn every_mutation_is_refused_by_validate_or_builds_and_additions_are_minor() {
    let mut report = Vec::new();
    for mutation in corpus() {
        let mut spec = scratch::spec();
        (mutation.change)(&mut spec);
        let slug: String = mutation
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let scratch = Scratch::new(
            &format!("mutation-{slug}"),
            &spec,
            r#"sms-api = { path = "../sms-api", default-features = false }"#,
            DOWNSTREAM,
        );
        let name = mutation.name;
        match (validate(&spec), mutation.expect) {
            (Err(said), Expect::Refused(rule)) => {
                assert!(
                    said.contains(&format!("error[{rule}]")),
                    "{name}: refused, but not by `{rule}`:\n{said}"
                );
                report.push(format!("{name}: refused by {rule}"));
            }
            (Err(said), expect) => {
                panic!("{name}: refused, where {expect:?} was expected:\n{said}")
            }
            (Ok(()), Expect::Refused(rule)) => {
                panic!("{name}: validate accepted it; `{rule}` should refuse it")
            }
            (Ok(()), expect) => {
                let crate_build = scratch.cargo(&["check", "--quiet", "-p", "sms-api"]);
                assert!(
                    crate_build.status.success(),
                    "{name}: validate accepted it, but the crate does not compile:\n{}",
                    String::from_utf8_lossy(&crate_build.stderr)
                );
                let downstream = scratch.cargo(&["check", "--quiet", "-p", "downstream"]);
                let compiles = downstream.status.success();
                assert_eq!(
                    compiles,
                    expect == Expect::Minor,
                    "{name}: downstream code {} where {expect:?} was expected:\n{}",
                    if compiles {
                        "still compiles"
                    } else {
                        "no longer compiles"
                    },
                    String::from_utf8_lossy(&downstream.stderr)
                );
                report.push(format!(
                    "{name}: accepted; the crate compiles; downstream code {}",
                    if compiles {
                        "still compiles (minor)"
                    } else {
                        "breaks (major)"
                    }
                ));
            }
        }
    }
    println!("{}", report.join("\n"));
}
