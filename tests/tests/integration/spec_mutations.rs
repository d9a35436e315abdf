//! `cargo xtask validate` is the one gate: for each spec in a corpus of mutations, well-formed
//! additions and broken specs alike, validate refuses it with a message, or the crate builds
//! from it. No spec passes validate and then fails the build.
//!
//! And additive changes are minor for the crate: downstream code written against today's API
//! ([`DOWNSTREAM`]) compiles against the crate built from each addition (a response field, an
//! enum value, a query parameter, an operation), while removing a field it reads breaks it.
//!
//! validate runs in-process (`xtask::validate::run`, the code `cargo xtask validate` runs), on
//! every mutation, in the default test run. The compiler's verdict needs scratch workspaces
//! (`target/scratch/`, `cargo check`): the additions together in one, the removal in another;
//! that test is `#[ignore]`d in the default run (it takes a minute or two) and CI runs it.

use crate::scratch;

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
    let action = client.update_task_status().task_id("t-1").operation("start").switch_hce(true);
    drop(request);
    drop(action);
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
                spec["paths"]["/v3/task-summaries/{task_id}"] = json!({"get": {
                    "operationId": "show_task_summary",
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
                // Above the spec's own maximum, whatever that is.
                let maximum = limit["schema"]["maximum"].as_i64().unwrap();
                limit["schema"]["minimum"] = json!(maximum + 1);
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
        Mutation {
            name: "a request body field without a description",
            change: |spec| {
                spec["components"]["schemas"]["UpdateTaskStatusReq"]["properties"]["reason"] =
                    json!({"type": "string", "maxLength": 64});
            },
            expect: Expect::Refused("description"),
        },
        Mutation {
            name: "a request body number without a format",
            change: |spec| {
                spec["components"]["schemas"]["UpdateTaskStatusReq"]["properties"]["retries"] =
                    json!({"type": "integer", "description": "Retries."});
            },
            expect: Expect::Refused("numeric-format"),
        },
        Mutation {
            name: "an action that pages",
            change: |spec| {
                spec["paths"]["/v3/tasks/{task_id}/action"]["post"]["x-pagination"] = json!({
                    "limit": "limit", "offset": "offset", "count": "count", "items": "tasks"});
            },
            expect: Expect::Refused("safety"),
        },
        Mutation {
            name: "an optional request body field",
            change: |spec| {
                spec["components"]["schemas"]["UpdateTaskStatusReq"]["properties"]["reason"] =
                    json!({"type": "string", "maxLength": 64, "description": "Why."});
            },
            expect: Expect::Minor,
        },
    ]
}

/// What validate made of each mutation: refused (by the rule expected), or accepted, with the
/// expectation for the compile.
fn verdicts() -> Vec<(&'static str, Value, Expect)> {
    let mut accepted = Vec::new();
    for mutation in corpus() {
        let mut spec = scratch::spec();
        (mutation.change)(&mut spec);
        let name = mutation.name;
        match (validate(&spec), mutation.expect) {
            (Err(said), Expect::Refused(rule)) => assert!(
                said.contains(&format!("error[{rule}]")),
                "{name}: refused, but not by `{rule}`:\n{said}"
            ),
            (Err(said), expect) => {
                panic!("{name}: refused, where {expect:?} was expected:\n{said}")
            }
            (Ok(()), Expect::Refused(rule)) => {
                panic!("{name}: validate accepted it; `{rule}` should refuse it")
            }
            (Ok(()), expect) => accepted.push((name, spec, expect)),
        }
    }
    accepted
}

/// The gate, in-process and fast: each broken spec is refused by its rule, and each spec
/// validate accepts generates (validate renders what it accepts, progenitor and every pass, and
/// refuses what does not render: rendering each again here would only repeat it). The build
/// script's entry point, `generate`, is run once, on the added operation.
#[test]
fn every_mutation_is_refused_by_validate_or_generates() {
    let accepted = verdicts();
    let names: Vec<&str> = accepted.iter().map(|(name, ..)| *name).collect();
    assert_eq!(
        names,
        [
            "no change",
            "an operation",
            "a response field removed",
            "an optional response field",
            "an enum value",
            "an optional query parameter",
            "an optional request body field"
        ]
    );
    let (_, with_operation, _) = accepted
        .iter()
        .find(|(name, ..)| *name == "an operation")
        .unwrap();
    let files = sms_api_codegen::generate(&with_operation.to_string()).unwrap_or_else(|e| {
        panic!("validate accepted an operation, but it does not generate: {e}")
    });
    assert_eq!(files.len(), 12);
    let client = files.iter().find(|f| f.name == "client.rs").unwrap();
    assert!(client.code.contains("pub fn show_task_summary("));
}

/// What rustc says of downstream code against the crate generated from `spec`: `Ok` when it
/// compiles, else cargo's message. The crate itself must compile.
fn downstream_compiles(label: &str, spec: &Value) -> Result<(), String> {
    let scratch = Scratch::new(
        label,
        spec,
        r#"sms-api = { path = "../sms-api", default-features = false }"#,
        DOWNSTREAM,
    );
    let crate_build = scratch.cargo(&["check", "--quiet", "-p", "sms-api"]);
    assert!(
        crate_build.status.success(),
        "{label}: validate accepted it, but the crate does not compile:\n{}",
        String::from_utf8_lossy(&crate_build.stderr)
    );
    let downstream = scratch.cargo(&["check", "--quiet", "-p", "downstream"]);
    if downstream.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&downstream.stderr).into_owned())
    }
}

/// The semver claim, by the compiler: the crate built from all the additions at once compiles,
/// and so does the downstream code (each addition is minor: one that broke it would break it
/// with the others too); removing a field the code reads breaks it. Two scratch builds in all.
#[test]
#[ignore = "type-checks scratch workspaces with cargo (about a minute): `cargo test -p sms-api-tests --test spec_mutations -- --ignored`; CI runs it"]
fn additions_are_minor_and_a_removal_major_for_the_compiler() {
    let _clean_up = scratch::CleanUp::hold();
    let mut together = scratch::spec();
    let mut report = Vec::new();
    for mutation in corpus() {
        if mutation.expect == Expect::Minor {
            (mutation.change)(&mut together);
            report.push(mutation.name);
        }
    }
    validate(&together).expect("validate accepts the additions together");
    if let Err(said) = downstream_compiles("mutation-additions", &together) {
        panic!(
            "with the additions ({}), downstream code no longer compiles:\n{said}",
            report.join(", ")
        );
    }
    println!("minor, together: {}", report.join(", "));
    for (name, spec, expect) in verdicts() {
        if expect != Expect::Major {
            continue;
        }
        let slug: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        assert!(
            downstream_compiles(&format!("mutation-{slug}"), &spec).is_err(),
            "{name}: downstream code still compiles where a major change was expected"
        );
        println!("major: {name}");
    }
}
