//! Every response example documented in the spec decodes, unedited, into the typed response, and
//! the decoding is pinned.

mod spec_values;

use sms_api::types::DOCUMENTED_EXAMPLES;
use sms_api::types::{
    ErrorResponse, ListTasksResponse, LogCollectStatus, OsType, SourceServerState, TaskPriority,
    TaskState, TaskType,
};

fn example(status: u16) -> &'static sms_api::types::DocumentedExample {
    DOCUMENTED_EXAMPLES
        .iter()
        .find(|e| e.operation_id == "list_tasks" && e.status == status)
        .unwrap_or_else(|| panic!("the spec documents no {status} example for list_tasks"))
}

#[test]
fn the_crate_carries_every_example_the_spec_documents() {
    let found: Vec<(&str, u16, &str)> = DOCUMENTED_EXAMPLES
        .iter()
        .map(|e| (e.operation_id, e.status, e.name))
        .collect();
    let in_spec: Vec<(&str, u16, &str)> = spec_values::model()
        .examples
        .iter()
        .map(|e| (e.operation_id.as_str(), e.status, e.name.as_str()))
        .collect();
    assert_eq!(found, in_spec);
    // The ones the tests below read.
    assert!(found.contains(&("list_tasks", 200, "documented")));
    assert!(found.contains(&("list_tasks", 403, "documented")));
}

#[test]
fn the_200_example_decodes_into_three_tasks() {
    let page: ListTasksResponse = serde_json::from_str(example(200).json).unwrap();
    assert_eq!(page.count, Some(3));
    let tasks = page.tasks.as_deref().unwrap();
    let names: Vec<_> = tasks.iter().map(|t| t.name.as_deref().unwrap()).collect();
    assert_eq!(
        names,
        ["sms_task_lxxxx11", "sms_task_xxx22", "sms_task_leddesktop"]
    );

    let first = &tasks[0];
    assert_eq!(first.type_, Some(TaskType::MigrateFile));
    assert_eq!(first.os_type, Some(OsType::Linux));
    assert_eq!(first.state, Some(TaskState::MigrateSuccess));
    assert_eq!(first.estimate_complete_time, None, "null Long");
    assert_eq!(first.create_date, Some(1_585_139_506_000));
    assert_eq!(first.priority, Some(TaskPriority::Standard));
    assert_eq!(first.migrate_speed, Some(0.0));
    assert_eq!(first.log_collect_status, Some(LogCollectStatus::Init));
    let source = first.source_server.as_ref().unwrap();
    assert_eq!(
        source.ip.as_deref(),
        Some("192.168.*.107"),
        "masked IP kept as text"
    );
    // The example's source-server state is one the reference pages do not document (today).
    let state = source.state.as_ref().unwrap();
    assert_eq!(state.as_str(), "AVAILABLE");
    assert_eq!(
        matches!(state, SourceServerState::UnknownValue(_)),
        !SourceServerState::DOCUMENTED_WIRE.contains(&"AVAILABLE")
    );
    assert_eq!(
        first.target_server.as_ref().unwrap().ip,
        None,
        "null String"
    );

    assert_eq!(tasks[1].type_, Some(TaskType::MigrateBlock));
    assert_eq!(tasks[2].source_server, None, "null object");
    assert_eq!(tasks[2].speed_limit, Some(200));
    assert_eq!(tasks[2].migration_ip.as_deref(), Some("192.168.1.201"));
}

#[test]
fn the_200_example_reserializes_to_the_same_json() {
    let original: serde_json::Value = serde_json::from_str(example(200).json).unwrap();
    let page: ListTasksResponse = serde_json::from_value(original.clone()).unwrap();
    let mut expected = original;
    strip_nulls(&mut expected);
    assert_eq!(serde_json::to_value(&page).unwrap(), expected);
}

#[test]
fn the_403_example_decodes_into_the_error_body() {
    let error: ErrorResponse = serde_json::from_str(example(403).json).unwrap();
    assert_eq!(error.error_code.as_deref(), Some("SMS.9004"));
    assert_eq!(
        error.encoded_authorization_message.as_deref(),
        Some("XXXXXX")
    );
    assert_eq!(
        error.error_param.as_deref(),
        Some(&["You do not have permission to perform action XXX on resource XXX.".to_owned()][..])
    );
    let details = error.details.as_deref().unwrap();
    assert_eq!(details.len(), 1);
    assert_eq!(details[0].error_code.as_deref(), Some("SMS.9004"));
}

#[test]
fn every_documented_example_decodes_into_its_type_and_is_pinned() {
    for example in DOCUMENTED_EXAMPLES {
        let decoded = (example.decoded)(example.json).unwrap_or_else(|e| {
            panic!(
                "the {} {} example `{}` does not decode: {e}",
                example.operation_id, example.status, example.name
            )
        });
        let name = format!(
            "{}_{}_{}",
            example.operation_id, example.status, example.name
        );
        insta::assert_snapshot!(name, decoded);
    }
}

/// The typed response leaves out what was `null`; everything else must come back unchanged.
fn strip_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}
