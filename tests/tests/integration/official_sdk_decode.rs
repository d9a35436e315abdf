//! The same bytes decoded by this crate and by the official Python SDK agree field by field:
//! realistic, fully populated ShowTask, ListServers and ShowServer bodies (every nested schema
//! present), decoded by huaweicloudsdksms 3.1.219 into its models
//! (`fixtures/official_sdk/documented_200.py` wrote what each field became) and by this crate's
//! types.

use serde_json::Value;
use sms_api::types::{ListServersResponse, ShowServerResponse, ShowTaskResponse};

/// Compares what the official SDK decoded with what this crate decoded, at `path`; the
/// differences found.
fn compare(path: &str, official: &Value, ours: Option<&Value>, differences: &mut Vec<String>) {
    match (official, ours) {
        // The SDK keeps an absent or null field as None; this crate leaves it out.
        (Value::Null, None | Some(Value::Null)) => {}
        (Value::Object(fields), Some(Value::Object(decoded))) => {
            for (name, value) in fields {
                compare(
                    &format!("{path}.{name}"),
                    value,
                    decoded.get(name),
                    differences,
                );
            }
            for name in decoded.keys().filter(|n| !fields.contains_key(*n)) {
                differences.push(format!(
                    "{path}.{name}: decoded here, not a field of the SDK's model"
                ));
            }
        }
        (Value::Array(items), Some(Value::Array(decoded))) if items.len() == decoded.len() => {
            for (i, (item, ours)) in items.iter().zip(decoded).enumerate() {
                compare(&format!("{path}[{i}]"), item, Some(ours), differences);
            }
        }
        (Value::Number(a), Some(Value::Number(b))) if a.as_f64() == b.as_f64() => {}
        (a, Some(b)) if a == b => {}
        (a, b) => differences.push(format!("{path}: the SDK decoded {a}, this crate {b:?}")),
    }
}

/// Decodes a fixture's body as `T` and compares every field with what the official SDK decoded
/// into `model`; each of `nested` must have been present (so the comparison reached it).
fn decodes_as_the_official_sdk<T>(fixture: &str, model: &str, nested: &[&str])
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let fixture: Value = serde_json::from_str(fixture).unwrap();
    let body = fixture["body"].as_str().unwrap();
    let decoded: T = serde_json::from_str(body).unwrap();
    let ours = serde_json::to_value(&decoded).unwrap();
    let mut differences = Vec::new();
    compare(model, &fixture["decoded"], Some(&ours), &mut differences);
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    for pointer in nested {
        assert!(
            fixture["decoded"]
                .pointer(pointer)
                .is_some_and(|v| !v.is_null()),
            "{pointer}"
        );
    }
}

/// The fixture's body is the spec's documented 200 example of `operation_id`.
fn is_the_documented_example(fixture: &str, operation_id: &str) {
    let fixture: Value = serde_json::from_str(fixture).unwrap();
    let documented = sms_api::types::DOCUMENTED_EXAMPLES
        .iter()
        .find(|e| e.operation_id == operation_id && e.status == 200)
        .unwrap();
    let body: Value = serde_json::from_str(fixture["body"].as_str().unwrap()).unwrap();
    let example: Value = serde_json::from_str(documented.json).unwrap();
    assert_eq!(
        body, example,
        "the spec's example of {operation_id} changed: rerun fixtures/official_sdk/documented_200.py"
    );
}

const SHOW_TASK: &str = include_str!("../fixtures/official_sdk/show_task_200.json");
const LIST_SERVERS: &str = include_str!("../fixtures/official_sdk/list_servers_200.json");
const SHOW_SERVER: &str = include_str!("../fixtures/official_sdk/show_server_200.json");

#[test]
fn a_fully_populated_show_task_body_decodes_as_the_official_sdk_decodes_it() {
    decodes_as_the_official_sdk::<ShowTaskResponse>(
        SHOW_TASK,
        "ShowTaskResponse",
        &[
            "/source_server/migration_cycle",
            "/target_server/disks/0/physical_volumes/0/uuid",
            "/target_server/volume_groups/0/logical_volumes/0/inode_nums",
            "/clone_server/clone_state",
            "/sub_tasks/1/progress",
            "/network_check_info/evaluation_result",
        ],
    );
}

#[test]
fn a_listing_of_source_servers_decodes_as_the_official_sdk_decodes_it() {
    decodes_as_the_official_sdk::<ListServersResponse>(
        LIST_SERVERS,
        "ListServersResponse",
        &[
            "/source_servers/0/current_task/target_server/vm_id",
            "/source_servers/0/checks/0/result",
            "/source_servers/0/init_target_server/disks/0/physical_volumes/0/uuid",
            "/source_servers/0/migration_cycle",
            "/source_servers/1/totalsize",
        ],
    );
}

#[test]
fn a_source_server_in_full_decodes_as_the_official_sdk_decodes_it() {
    decodes_as_the_official_sdk::<ShowServerResponse>(
        SHOW_SERVER,
        "ShowServerResponse",
        &[
            "/current_task/subtask_info",
            "/disks/0/physical_volumes/0/size_per_cluster",
            "/networks/0/mtu",
            "/checks/0/name",
            "/firmware",
        ],
    );
}

#[test]
fn the_fixtures_are_the_spec_s_documented_examples() {
    is_the_documented_example(SHOW_TASK, "show_task");
    is_the_documented_example(LIST_SERVERS, "list_servers");
    is_the_documented_example(SHOW_SERVER, "show_server");
}
