//! Every enum is open for what the service sends: documented values are typed variants,
//! anything else is kept verbatim. For what a caller converts from a string, only documented
//! values are accepted, unless `from_wire` says otherwise.

use crate::spec_values;

use sms_api::types::{
    LogCollectStatus, OsType, SourceServerState, TaskPriority, TaskState, TaskType,
};

#[test]
fn documented_values_round_trip_as_typed_variants() {
    fn check<T>(documented: &[T], wire: impl Fn(&T) -> serde_json::Value)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug + PartialEq,
    {
        for value in documented {
            let json = serde_json::to_value(value).unwrap();
            assert_eq!(json, wire(value));
            assert_eq!(&serde_json::from_value::<T>(json).unwrap(), value);
        }
    }
    check(TaskState::DOCUMENTED, |v| v.as_str().into());
    check(TaskType::DOCUMENTED, |v| v.as_str().into());
    check(OsType::DOCUMENTED, |v| v.as_str().into());
    check(SourceServerState::DOCUMENTED, |v| v.as_str().into());
    check(LogCollectStatus::DOCUMENTED, |v| v.as_str().into());
    check(TaskPriority::DOCUMENTED, |v| v.value().into());
}

#[test]
fn known_wire_values_map_to_their_variants() {
    assert_eq!(
        TaskState::from_wire("SYNC_F_ROLLBACK_SUCCESS"),
        TaskState::SyncFRollbackSuccess
    );
    assert_eq!(
        SourceServerState::from_wire("clearfailed"),
        SourceServerState::Clearfailed
    );
    assert_eq!("READY".parse::<TaskState>(), Ok(TaskState::Ready));
    assert_eq!(TaskPriority::from(2), TaskPriority::High);
    assert_eq!("0".parse::<TaskPriority>(), Ok(TaskPriority::Low));
    assert_eq!(TaskState::Running.to_string(), "RUNNING");
    assert_eq!(TaskPriority::Standard.to_string(), "1");
}

#[test]
fn unknown_values_are_kept_and_serialized_back_verbatim() {
    // Made-up values (a real one the page does not document today may be documented
    // tomorrow), in the shapes the service uses, and an empty and a non-ASCII one.
    for text in [
        spec_values::FICTIONAL_STATE,
        "fictional-lower-case",
        "",
        "ünïcode",
    ] {
        assert!(!TaskState::DOCUMENTED_WIRE.contains(&text));
        let json = serde_json::to_string(text).unwrap();
        let state: TaskState = serde_json::from_str(&json).unwrap();
        let TaskState::UnknownValue(unknown) = &state else {
            panic!("{text:?} decoded as a documented value: {state:?}")
        };
        assert_eq!(unknown.value(), text);
        assert_eq!(state.as_str(), text);
        assert_eq!(serde_json::to_string(&state).unwrap(), json);
    }
    let priority: TaskPriority = serde_json::from_str("-4").unwrap();
    assert_eq!(priority.value(), -4);
    assert_eq!(serde_json::to_string(&priority).unwrap(), "-4");
}

#[test]
fn wrong_json_types_are_errors_that_name_the_type() {
    let error = serde_json::from_str::<TaskState>("42")
        .unwrap_err()
        .to_string();
    assert!(error.contains("a string (TaskState)"), "{error}");
    let error = serde_json::from_str::<TaskPriority>("\"high\"")
        .unwrap_err()
        .to_string();
    assert!(error.contains("invalid type"), "{error}");
    assert!(serde_json::from_str::<TaskPriority>("1.5").is_err());
    assert!("x".parse::<TaskPriority>().is_err());
}

#[test]
fn callers_convert_only_documented_values_from_strings() {
    assert_eq!(
        TaskState::try_from("MIGRATE_FAIL"),
        Ok(TaskState::MigrateFail)
    );
    assert_eq!(
        TaskState::try_from(String::from("RUNNING")),
        Ok(TaskState::Running)
    );
    let typo = TaskState::try_from("MIGRATE_FAILED").unwrap_err();
    assert_eq!(typo.value(), "MIGRATE_FAILED");
    assert_eq!(typo.closest(), Some("MIGRATE_FAIL"));
    assert_eq!(typo.documented(), TaskState::DOCUMENTED_WIRE);
    let text = typo.to_string();
    assert!(
        text.starts_with(&format!(
            "\"MIGRATE_FAILED\" is not a documented TaskState (did you mean MIGRATE_FAIL?); documented values: {}",
            TaskState::DOCUMENTED_WIRE.join(", ")
        )),
        "{text}"
    );
    assert!(
        text.ends_with("to send it anyway, convert it with TaskState::from_wire"),
        "{text}"
    );
    // Case is a typo too, and says so; a value far from any has no suggestion.
    assert_eq!(
        "running".parse::<TaskState>().unwrap_err().closest(),
        Some("RUNNING")
    );
    let far = "BANANA".parse::<TaskState>().unwrap_err();
    assert_eq!(far.closest(), None);
    assert!(!far.to_string().contains("did you mean"));
    // The deliberate way to an undocumented value.
    assert!(matches!(
        TaskState::from_wire("MIGRATE_FAILED"),
        TaskState::UnknownValue(_)
    ));
    assert_eq!(TaskState::from_wire("RUNNING"), TaskState::Running);
    // Decoding stays open.
    let decoded: TaskState = serde_json::from_str("\"MIGRATE_FAILED\"").unwrap();
    assert_eq!(decoded.as_str(), "MIGRATE_FAILED");
}

proptest::proptest! {
    #[test]
    fn every_open_enum_round_trips_any_string(text in ".*") {
        fn round_trip<T>(text: &str, from_wire: fn(&str) -> T, as_str: impl Fn(&T) -> &str)
        where
            T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
        {
            let value = from_wire(text);
            assert_eq!(as_str(&value), text);
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(json, serde_json::to_string(text).unwrap());
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
        }
        round_trip::<TaskState>(&text, TaskState::from_wire, TaskState::as_str);
        round_trip::<TaskType>(&text, TaskType::from_wire, TaskType::as_str);
        round_trip::<OsType>(&text, OsType::from_wire, OsType::as_str);
        round_trip::<SourceServerState>(&text, SourceServerState::from_wire, SourceServerState::as_str);
        round_trip::<LogCollectStatus>(&text, LogCollectStatus::from_wire, LogCollectStatus::as_str);
    }

    #[test]
    fn the_integer_enum_round_trips_any_integer(value in proptest::num::i64::ANY) {
        let priority = TaskPriority::from(value);
        proptest::prop_assert_eq!(priority.value(), value);
        let json = serde_json::to_string(&priority).unwrap();
        proptest::prop_assert_eq!(&json, &value.to_string());
        proptest::prop_assert_eq!(serde_json::from_str::<TaskPriority>(&json).unwrap(), priority);
    }
}
