//! The same bytes decoded by this crate and by the official Python SDK agree field by field:
//! a realistic, fully populated ShowTask body (every nested schema present), decoded by
//! huaweicloudsdksms 3.1.219 into its models (`fixtures/official_sdk/show_task.py` wrote what
//! each field became) and by `sms_api::types::ShowTaskResponse`.

use serde_json::Value;
use sms_api::types::ShowTaskResponse;

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

#[test]
fn a_fully_populated_show_task_body_decodes_as_the_official_sdk_decodes_it() {
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/official_sdk/show_task_200.json")).unwrap();
    let body = fixture["body"].as_str().unwrap();
    let decoded: ShowTaskResponse = serde_json::from_str(body).unwrap();
    let ours = serde_json::to_value(&decoded).unwrap();
    let mut differences = Vec::new();
    compare(
        "ShowTaskResponse",
        &fixture["decoded"],
        Some(&ours),
        &mut differences,
    );
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    // Every nested schema was present, so the comparison reached each of them.
    for nested in [
        "/source_server/migration_cycle",
        "/target_server/disks/0/physical_volumes/0/uuid",
        "/target_server/volume_groups/0/logical_volumes/0/inode_nums",
        "/clone_server/clone_state",
        "/sub_tasks/1/progress",
        "/network_check_info/evaluation_result",
    ] {
        assert!(
            fixture["decoded"]
                .pointer(nested)
                .is_some_and(|v| !v.is_null()),
            "{nested}"
        );
    }
}

#[test]
fn the_fixture_is_the_spec_s_documented_example() {
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/official_sdk/show_task_200.json")).unwrap();
    let documented = sms_api::types::DOCUMENTED_EXAMPLES
        .iter()
        .find(|e| e.operation_id == "show_task" && e.status == 200)
        .unwrap();
    let body: Value = serde_json::from_str(fixture["body"].as_str().unwrap()).unwrap();
    let example: Value = serde_json::from_str(documented.json).unwrap();
    assert_eq!(
        body, example,
        "the spec's example changed: rerun fixtures/official_sdk/show_task.py"
    );
}
