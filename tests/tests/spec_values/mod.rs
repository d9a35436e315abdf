//! The spec's values, read from `spec/` with the generator's own model, for tests whose
//! expectations depend on them (a bound's figures, a waiter's delays): a spec
//! change moves these tests with it instead of breaking them.

// Shared by several test binaries, each of which uses only part of it.
#![allow(dead_code)]

use std::sync::OnceLock;
use std::time::Duration;

use sms_api_codegen::model::Model;
use sms_api_codegen::model::bounds::Bounds;

/// The workspace's spec, read once per test binary.
pub fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/sms.json");
        let text = std::fs::read_to_string(path).expect("the spec is readable");
        Model::read(&text).unwrap_or_else(|problems| {
            let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
            panic!("the spec does not read:\n{}", said.join("\n"))
        })
    })
}

/// The documented bounds of `operation_id`'s parameter `name`.
pub fn bounds(operation_id: &str, name: &str) -> &'static Bounds {
    model()
        .bounds
        .iter()
        .find(|b| b.operation_id == operation_id && b.name == name)
        .unwrap_or_else(|| panic!("the spec documents no bounds for {operation_id}'s `{name}`"))
}

/// The spec's delays of `operation_id`'s waiter `name`: `minDelay` and `maxDelay`.
pub fn waiter_delays(operation_id: &str, name: &str) -> (Duration, Duration) {
    let waiter = model()
        .operations
        .iter()
        .filter(|o| o.id == operation_id)
        .flat_map(|o| &o.waiters)
        .find(|w| w.name == name)
        .unwrap_or_else(|| panic!("the spec has no waiter {name} on {operation_id}"));
    (
        Duration::from_secs(waiter.min_delay),
        Duration::from_secs(waiter.max_delay),
    )
}

/// A value no enum of the spec documents, plainly made up for tests of undocumented values.
pub const FICTIONAL_STATE: &str = "FICTIONAL_STATE_FOR_TESTS";
