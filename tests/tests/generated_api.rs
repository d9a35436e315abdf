//! Pins the code generated from the spec: a spec change shows up here as a reviewable diff of
//! the Rust API it produces. After an intended change, review and accept with `cargo insta`.

#[test]
fn generated_client_and_types() {
    insta::assert_snapshot!("client", sms_api::generated_source::CLIENT);
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
