//! Each renderer on the fixture spec (`crate::fixture`), and the pass that fails by name.

use super::*;
use crate::fixture;
use crate::passes::PassMatchedNothing;

fn file<'f>(files: &'f [GeneratedFile], name: &str) -> &'f str {
    &files.iter().find(|f| f.name == name).unwrap().code
}

fn rendered() -> Vec<GeneratedFile> {
    render(&fixture::model()).unwrap()
}

#[test]
fn every_generated_file_is_rendered_once() {
    let names: Vec<&str> = rendered().iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "query_parameters.rs",
            "parameter_bounds.rs",
            "regions.rs",
            "open_enums.rs",
            "operations.rs",
            "invoke.rs",
            "derived.rs",
            "pagination.rs",
            "waiters.rs",
            "client.rs",
            "mock.rs",
            "documented_examples.rs"
        ]
    );
}

#[test]
fn regions_become_constants_in_document_order() {
    let code = regions::render(&fixture::model().regions);
    assert!(code.contains(
        "pub const CN_NORTH_4: crate::client::Region = crate::client::Region { id: \"cn-north-4\", endpoint: \"https://sms.cn-north-4.example.com\" };"
    ), "{code}");
    let all = code.split("pub const ALL").nth(1).unwrap();
    assert!(all.find("CN_NORTH_4").unwrap() < all.find("AP_SOUTHEAST_1").unwrap());
}

#[test]
fn enums_become_open_enum_invocations_with_their_meanings() {
    let code = open_enums::render(&fixture::model().enums);
    assert!(code.contains("open_string_enum! {"), "{code}");
    assert!(code.contains("/// `MIGRATE_FAIL`: failed"), "{code}");
    assert!(code.contains("MigrateFail = \"MIGRATE_FAIL\","), "{code}");
}

#[test]
fn bounds_become_a_table_of_every_bounded_parameter() {
    let files = rendered();
    let code = file(&files, "parameter_bounds.rs");
    assert!(code.contains("name: \"limit\""), "{code}");
    assert!(code.contains("maximum: Some(200i64)"), "{code}");
    assert!(code.contains("default: Some(50i64)"), "{code}");
    assert!(code.contains("max_length: Some(255usize)"), "{code}");
}

#[test]
fn query_parameters_say_what_the_fake_does_with_each() {
    let files = rendered();
    let code = file(&files, "query_parameters.rs");
    let flat: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("name: \"limit\", role: crate::mock::ParameterRole::Paging"),
        "{code}"
    );
    assert!(
        flat.contains("name: \"state\", role: crate::mock::ParameterRole::Filter(&[\"state\"])"),
        "{code}"
    );
    assert!(
        flat.contains("limit: \"limit\", offset: \"offset\", count: \"count\", items: \"tasks\""),
        "{code}"
    );
}

#[test]
fn documented_examples_keep_their_json() {
    let files = rendered();
    let code = file(&files, "documented_examples.rs");
    assert!(code.contains("name: \"one\""), "{code}");
    assert!(code.contains("summary: \"One task\""), "{code}");
    assert!(code.contains("status: 200u16"), "{code}");
}

#[test]
fn operations_are_read_from_the_builders_send() {
    let model = fixture::model();
    let mut client = fixture::progenitor_client(&model);
    client::rewrite_client(&model, &mut client).unwrap();
    let found = operations::collect(&client).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].operation_id, "list_tasks");
    let response = quote::ToTokens::to_token_stream(&found[0].response).to_string();
    assert_eq!(response, "types :: Page");
    assert!(found[0].methods.iter().any(|m| m == "state"));
    let code =
        prettyplease::unparse(&syn::parse2(operations::render(&model, &found).unwrap()).unwrap());
    assert!(
        code.contains("impl<'a> crate::send::Operation for builder::ListTasks<'a>"),
        "{code}"
    );
    assert!(
        code.contains(
            r#"crate::send::OperationFacts::new("list_tasks", "GET", "/v3/tasks", true)"#
        ),
        "{code}"
    );
    assert!(
        code.contains(
            "const FACTS: &'static crate::send::OperationFacts = &OPERATION_FACTS[0usize];"
        ),
        "{code}"
    );
}

#[test]
fn pagination_names_the_declared_fields_and_maximums() {
    let files = rendered();
    let code = file(&files, "pagination.rs");
    assert!(
        code.contains("crate::paging::Paginated for builder::ListTasks"),
        "{code}"
    );
    assert!(code.contains("200"), "{code}");
    assert!(code.contains("10000"), "{code}");
}

#[test]
fn waiters_become_methods_and_the_watch_an_impl() {
    let files = rendered();
    let code = file(&files, "waiters.rs");
    assert!(code.contains("fn wait_until_task_ready"), "{code}");
    assert!(code.contains("ListTasksWaiters"), "{code}");
    assert!(
        code.contains("crate::wait::Watched for builder::ListTasks"),
        "{code}"
    );
}

#[test]
fn the_client_is_rewritten_by_every_pass() {
    let files = rendered();
    let code = file(&files, "client.rs");
    assert!(code.contains("#[non_exhaustive]"), "{code}");
    assert!(
        code.contains("pub(crate) fn operation_client(&self)"),
        "{code}"
    );
    assert!(
        !code.contains("struct ListTasksName"),
        "the newtype is gone"
    );
    assert!(code.contains("Task name."), "the setter is documented");
}

#[test]
fn the_mock_answers_with_request_ids() {
    let files = rendered();
    let code = file(&files, "mock.rs");
    assert!(
        code.contains("pub fn request_id(self, id: &str) -> Self"),
        "{code}"
    );
}

#[test]
fn a_progenitor_output_without_builders_fails_naming_the_pass() {
    let model = fixture::model();
    let mut client = fixture::progenitor_client(&model);
    // progenitor's output as a future version might shape it: no `builder` module.
    client
        .items
        .retain(|item| !matches!(item, syn::Item::Mod(m) if m.ident == "builder"));
    let error = client::rewrite_client(&model, &mut client).unwrap_err();
    assert_eq!(
        error,
        crate::Error::Pass(PassMatchedNothing {
            pass: "passes::setters",
            file: "client.rs"
        })
    );
    assert!(
        error
            .to_string()
            .contains("`passes::setters` matched nothing"),
        "{error}"
    );
}

#[test]
fn a_broken_spec_is_refused_with_every_problem_at_its_pointer() {
    let mut spec = fixture::spec();
    spec["paths"]["/v3/tasks"]["get"]["x-pagination"]["limit"] = serde_json::json!("page_size");
    spec["servers"][1]["x-region-id"] = serde_json::json!("cn-north-4");
    let Err(crate::Error::Spec(problems)) = crate::generate(&spec.to_string()) else {
        panic!("the broken spec generated");
    };
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.rule, p.pointer.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("pagination", "#/paths/~1v3~1tasks/get/x-pagination"),
            ("region-id", "#/servers/1")
        ]
    );
}
