//! Each pass on progenitor's real output for the fixture spec (`crate::fixture`): it changes
//! what it says it changes.

use super::*;
use crate::fixture;

#[test]
fn non_exhaustive_marks_every_struct_with_named_fields() {
    let model = fixture::model();
    let mut client = fixture::progenitor_client(&model);
    assert_eq!(non_exhaustive::mark(&mut client), 2, "Page and Task");
    assert_eq!(non_exhaustive::mark(&mut client), 0, "never twice");
}

#[test]
fn string_parameters_replace_the_newtype_in_builders_and_mocks() {
    let model = fixture::model();
    let newtypes = model.string_newtypes();
    assert_eq!(newtypes, ["ListTasksName"]);
    let mut client = fixture::progenitor_client(&model);
    assert!(fixture::text(&client).contains("ListTasksName"));
    assert!(string_parameters::plain(&mut client, &newtypes) > 0);
    let text = fixture::text(&client);
    assert!(
        !text.contains("struct ListTasksName"),
        "the newtype is removed"
    );
    assert!(
        !text.contains("types :: ListTasksName"),
        "no builder names it"
    );
    let mut mock = fixture::progenitor_mock(&model);
    assert!(string_parameters::plain_in_mock(&mut mock, &newtypes) > 0);
    assert!(!fixture::text(&mock).contains("ListTasksName"));
}

#[test]
fn setters_keep_the_reason_a_value_was_refused() {
    let model = fixture::model();
    let mut client = fixture::progenitor_client(&model);
    assert_eq!(
        setters::keep_conversion_errors(&mut client),
        4,
        "one per parameter"
    );
    let text = fixture::text(&client);
    assert!(text.contains(":: std :: fmt :: Display"), "{text}");
    assert!(
        text.contains("| e | :: std :: string :: ToString :: to_string (& e)"),
        "{text}"
    );
    assert!(!text.contains("| _ |"), "no reason dropped: {text}");
}

#[test]
fn client_access_gives_each_builder_its_client() {
    let model = fixture::model();
    let mut client = fixture::progenitor_client(&model);
    assert_eq!(client_access::add(&mut client), 1);
    assert!(fixture::text(&client).contains("fn operation_client"));
}

#[test]
fn docs_lead_to_fetch_and_hide_the_unusable_constructors() {
    let model = fixture::model();
    let mut client = fixture::progenitor_client(&model);
    assert!(docs::rewrite(&mut client) > 0);
    let text = fixture::text(&client);
    assert!(text.contains("fetch"), "{text}");
    assert!(text.contains("doc (hidden)"), "{text}");
}

#[test]
fn setter_docs_come_from_the_parameters_descriptions() {
    let model = fixture::model();
    let mut client = fixture::progenitor_client(&model);
    assert_eq!(setter_docs::add(&mut client, &model.openapi), 4);
    assert!(fixture::text(&client).contains("Page size."));
}

#[test]
fn mock_responses_document_the_typed_mocks_and_add_headers() {
    let model = fixture::model();
    let mut mock = fixture::progenitor_mock(&model);
    assert_eq!(mock_responses::extend(&mut mock), 1);
    let text = fixture::text(&mock);
    assert!(text.contains("fn request_id"), "{text}");
    assert!(text.contains("fn header"), "{text}");
}
