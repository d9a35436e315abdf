//! `client.rs`: progenitor's client, builders and types, generated from the model's document
//! and rewritten by the passes (`crate::passes`); and the generator `mock.rs` shares.

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TypeImpl};

use crate::Error;
use crate::model::Model;
use crate::passes::{self, Pass};

/// progenitor, set up as the crate expects: builders, hooks, the crate's `ClientState` inside
/// the client, and the model's open enums in place of typify's closed ones.
pub fn generator(model: &Model) -> Generator {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote::quote! { crate::client::ClientState })
        .with_derive("PartialEq")
        .with_timeout(120);
    for open_enum in &model.enums {
        settings.with_replacement(
            &open_enum.name,
            format!("crate::types::{}", open_enum.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    Generator::new(&settings)
}

/// progenitor's client for the model, with every client pass applied.
pub fn client(model: &Model, generator: &mut Generator) -> Result<syn::File, Error> {
    let tokens = generator
        .generate_tokens(&model.openapi)
        .map_err(|e| Error::Progenitor {
            file: "client.rs",
            message: e.to_string(),
        })?;
    let mut file = super::parse("client.rs", tokens)?;
    rewrite_client(model, &mut file)?;
    Ok(file)
}

/// The passes over progenitor's client, in order.
pub fn rewrite_client(model: &Model, client: &mut syn::File) -> Result<(), Error> {
    let newtypes = model.string_newtypes();
    let operations = !model.operations.is_empty();
    let parameters = model.has_parameters();
    let path_parameters = model.operations.iter().any(|o| o.path.contains('{'));
    let passes = vec![
        Pass::new(
            "passes::non_exhaustive",
            model.has_structs(),
            passes::non_exhaustive::mark,
        ),
        Pass::new("passes::string_parameters", !newtypes.is_empty(), |file| {
            passes::string_parameters::plain(file, &newtypes)
        }),
        Pass::new(
            "passes::setters",
            parameters,
            passes::setters::keep_conversion_errors,
        ),
        Pass::new(
            "passes::body_setters",
            model.has_request_bodies(),
            passes::body_setters::add,
        ),
        Pass::new(
            "passes::client_access",
            operations,
            passes::client_access::add,
        ),
        Pass::new(
            "passes::path_segments",
            path_parameters,
            passes::path_segments::own_encoder,
        ),
        Pass::new("passes::call_record", operations, passes::call_record::add),
        Pass::new("passes::docs", operations, passes::docs::rewrite),
        Pass::new("passes::setter_docs", parameters, |file| {
            passes::setter_docs::add(file, &model.openapi)
        }),
        // Not expected: a spec whose bodies require no field gives it nothing to match (the
        // actions tests pin the message, should typify's text change).
        Pass::new(
            "passes::required_fields",
            false,
            passes::required_fields::rewrite,
        ),
        // Last: the docs pass documents the public client's inherent functions.
        Pass::new(
            "passes::progenitor_surface",
            true,
            passes::progenitor_surface::apply,
        ),
    ];
    passes::apply("client.rs", client, passes)?;
    Ok(())
}
