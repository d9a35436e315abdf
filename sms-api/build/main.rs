//! Build script: generates the sms-api client from `spec/sms-list-tasks.json`.
//!
//! Everything that depends on the spec is derived here, at build time, from the spec alone. The
//! files mirror `src/`, and `src/generated.rs` includes every output:
//! - `client.rs` (here): progenitor's client, builders and types (the open enums replace
//!   typify's), and `mock.rs`, its typed httpmock helpers (feature `mock`);
//! - `send/operations.rs`: each builder as a `send::Operation` (`operations.rs`);
//! - `send/parameter_bounds.rs`: the documented range or length of each query parameter;
//! - `paging/pagination.rs`: each operation marked `x-pagination` as a `paging::Paginated`;
//! - `types/open_enums.rs`: every enum schema as an open, `#[non_exhaustive]` Rust enum;
//! - `types/non_exhaustive.rs`: every generated struct with named fields `#[non_exhaustive]`;
//! - `send/string_parameters.rs`: length-limited string parameters as plain `String`s;
//! - `send/setters.rs`: builder setters that keep why a value was refused;
//! - `client/docs.rs`: docs that lead to `fetch()`/`paginate()` and to building types from
//!   `Default`;
//! - `types/documented_examples.rs`: the response examples of the spec, as a table;
//! - `mock/filters.rs`: what the fake service does with each query parameter (`x-filter-field`);
//! - `mock/responses.rs`: the typed mock responses documented, with `request_id()`;
//! - `wait/model.rs` and `wait/waiters.rs`: each waiter of `x-waiters`, its paths compiled into
//!   typed functions, as `wait_until_<name>()` on its operation (`waiters.rs`);
//! - `client/regions.rs`: the regions of the spec's `servers`, as `Region` constants.
//!
//! A broken spec stops the build with a message that says what is wrong and where.

mod client {
    pub mod docs;
    pub mod region_ids;
    pub mod regions;
    pub mod setter_docs;
}
mod mock {
    pub mod filter_field;
    pub mod filters;
    pub mod responses;
}
mod paging {
    pub mod declared;
    pub mod pagination;
}
mod send {
    pub mod bound_kinds;
    pub mod client_access;
    pub mod operations;
    pub mod parameter_bounds;
    pub mod setters;
    pub mod string_parameters;
}
mod wait {
    pub mod model;
    pub mod waiters;
}
mod types {
    pub mod documented_examples;
    pub mod enum_names;
    pub mod non_exhaustive;
    pub mod open_enums;
    pub mod struct_fields;
}

use client::regions;
use send::{operations, parameter_bounds};
use types::{documented_examples, open_enums};

use std::path::{Path, PathBuf};

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TypeImpl};

/// The spec where people edit it: the workspace's `spec/`, beside this crate.
const WORKSPACE_SPEC: &str = "../spec/sms-list-tasks.json";
/// The copy this crate's package carries, written by `cargo xtask regen`: read where there is
/// no workspace beside the crate (a package from a registry, a vendored copy).
const PACKAGED_SPEC: &str = "spec/sms-list-tasks.json";

fn main() {
    if let Err(message) = run() {
        eprintln!("error: sms-api could not be generated from its spec: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(env_var("OUT_DIR")?);
    let candidates = [WORKSPACE_SPEC, PACKAGED_SPEC].map(|p| manifest_dir.join(p));
    for path in candidates.iter().filter(|p| p.is_file()) {
        println!("cargo::rerun-if-changed={}", path.display());
    }
    let spec_path = candidates.iter().find(|p| p.is_file()).ok_or_else(|| {
        format!("found neither {WORKSPACE_SPEC} nor {PACKAGED_SPEC} beside the crate")
    })?;
    let text = std::fs::read_to_string(spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let raw: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("not valid JSON: {e}"))?;
    let spec: openapiv3::OpenAPI = serde_json::from_value(raw.clone())
        .map_err(|e| format!("not an OpenAPI 3.0 document: {e}"))?;

    let query_parameters = mock::filters::collect(&spec)?;
    write(
        &out_dir,
        "query_parameters.rs",
        mock::filters::render(&query_parameters),
    )?;

    let bounds = parameter_bounds::collect(&spec)?;
    write(
        &out_dir,
        "parameter_bounds.rs",
        parameter_bounds::render(&bounds),
    )?;

    let regions = regions::collect(&spec)?;
    write_text(&out_dir, "regions.rs", &regions::render(&regions))?;

    let enums = open_enums::collect(&spec)?;
    write_text(&out_dir, "open_enums.rs", &open_enums::render(&enums))?;

    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote::quote! { crate::client::ClientState })
        .with_derive("PartialEq")
        .with_timeout(120);
    for open_enum in &enums {
        settings.with_replacement(
            &open_enum.name,
            format!("crate::types::{}", open_enum.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    let mut generator = Generator::new(&settings);
    let client = generator
        .generate_tokens(&spec)
        .map_err(|e| format!("progenitor: {e}"))?;
    let mut client = parse("client.rs", client)?;
    types::non_exhaustive::mark(&mut client);
    let newtypes: Vec<String> = bounds.iter().filter_map(|b| b.string_newtype()).collect();
    send::string_parameters::plain(&mut client, &newtypes);
    send::setters::keep_conversion_errors(&mut client);
    if send::client_access::add(&mut client) == 0 {
        return Err(
            "send::client_access: no builder with `new(client)` was found in progenitor's `builder` module; \
             the paginator and waiters need each builder's client"
                .into(),
        );
    }
    client::docs::rewrite(&mut client);
    if client::setter_docs::add(&mut client, &spec) == 0 {
        return Err(
            "client::setter_docs: no builder setter matched a parameter of the spec; every setter would be undocumented"
                .into(),
        );
    }
    let operations = operations::collect(&client)?;
    write(&out_dir, "operations.rs", operations::render(&operations))?;
    let paginated = paging::pagination::collect(&spec, &client, &operations, &bounds)?;
    write(
        &out_dir,
        "pagination.rs",
        paging::pagination::render(&paginated),
    )?;
    let waiters = wait::waiters::generate(&raw, &client, &operations)?;
    write(&out_dir, "waiters.rs", waiters)?;
    write_text(&out_dir, "client.rs", &prettyplease::unparse(&client))?;
    let mock = generator
        .httpmock(&spec, "crate")
        .map_err(|e| format!("progenitor (httpmock): {e}"))?;
    let mut mock = parse("mock.rs", mock)?;
    mock::responses::extend(&mut mock);
    send::string_parameters::plain_in_mock(&mut mock, &newtypes);
    write_text(&out_dir, "mock.rs", &prettyplease::unparse(&mock))?;

    let examples = documented_examples::collect(&raw)?;
    write(
        &out_dir,
        "documented_examples.rs",
        documented_examples::render(&examples),
    )?;
    Ok(())
}

fn env_var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("cargo did not set {name}"))
}

/// Pretty-prints `tokens` into `out_dir/name`, so that a reader (and the snapshot tests) see
/// ordinary Rust.
fn write(out_dir: &Path, name: &str, tokens: proc_macro2::TokenStream) -> Result<(), String> {
    write_text(out_dir, name, &prettyplease::unparse(&parse(name, tokens)?))
}

fn parse(name: &str, tokens: proc_macro2::TokenStream) -> Result<syn::File, String> {
    syn::parse2(tokens).map_err(|e| format!("{name} is not valid Rust: {e}"))
}

fn write_text(out_dir: &Path, name: &str, code: &str) -> Result<(), String> {
    let path = out_dir.join(name);
    std::fs::write(&path, code).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
