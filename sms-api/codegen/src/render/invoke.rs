//! `invoke.rs`: every operation as a command line sees it (`OPERATIONS`, from the model's
//! commands), and `call()`, which builds the operation's typed request from inputs given as
//! text: each input goes to its builder's setter, converted to the type that setter takes (read
//! from the generated client, so nothing about a type is written twice).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operations::Operation;
use crate::model::Model;
use crate::model::commands::{Command, Input, Location};

/// The table and the dispatcher, or why an input has no setter to go to.
pub fn render(model: &Model, operations: &[Operation]) -> Result<TokenStream, String> {
    let rows = model.commands.iter().map(info);
    let mut arms = Vec::new();
    for command in &model.commands {
        let builder = operations
            .iter()
            .find(|o| o.operation_id == command.operation_id)
            .ok_or_else(|| {
                format!(
                    "no builder for `{}`: progenitor generated none",
                    command.operation_id
                )
            })?;
        arms.push(arm(command, builder)?);
    }
    Ok(quote! {
        /// Every operation of the spec, with its inputs, in the spec's order.
        pub(crate) const OPERATIONS: &[crate::invoke::OperationInfo] = &[#(#rows),*];

        /// Calls `operation_id` with `inputs` (checked against its `OPERATIONS` entry) through
        /// its typed builder.
        pub(crate) async fn call<'a>(
            client: &'a crate::Client,
            operation_id: &str,
            inputs: &crate::invoke::Inputs<'_>,
        ) -> ::std::result::Result<crate::invoke::Invoked<'a>, crate::Error> {
            #[allow(unused_imports)]
            use crate::paging::PaginateExt;
            #[allow(unused_imports)]
            use crate::send::FetchExt;
            match operation_id {
                #(#arms)*
                other => ::std::result::Result::Err(crate::Error::new(
                    crate::ErrorKind::InvalidRequest,
                    ::std::format!("the spec has no operation `{other}`"),
                )),
            }
        }
    })
}

/// `command`'s row of `OPERATIONS`.
fn info(command: &Command) -> TokenStream {
    let (id, method, path, summary, description, paginated) = (
        &command.operation_id,
        &command.method,
        &command.path,
        &command.summary,
        &command.description,
        command.paginated,
    );
    let inputs = command.inputs.iter().map(|input| {
        let (name, required, description, kind, values) = (
            &input.name,
            input.required,
            &input.description,
            &input.kind,
            &input.values,
        );
        let location = match input.location {
            Location::Path => quote! { crate::invoke::Location::Path },
            Location::Query => quote! { crate::invoke::Location::Query },
            Location::Body => quote! { crate::invoke::Location::Body },
        };
        quote! {
            crate::invoke::InputInfo {
                name: #name, location: #location, required: #required,
                description: #description, kind: #kind, values: &[#(#values),*],
            }
        }
    });
    quote! {
        crate::invoke::OperationInfo {
            id: #id, method: #method, path: #path, summary: #summary,
            description: #description, paginated: #paginated, inputs: &[#(#inputs),*],
        }
    }
}

/// `command`'s arm of `call()`: each given input through its setter, then `paginate()` or
/// `fetch()`.
fn arm(command: &Command, builder: &Operation) -> Result<TokenStream, String> {
    let id = &command.operation_id;
    let method = format_ident!("{}", id);
    let mut setters = Vec::new();
    for input in &command.inputs {
        setters.push(setter_call(id, input, builder)?);
    }
    let answer = if command.paginated {
        quote! { ::std::result::Result::Ok(crate::invoke::Invoked::items(call.paginate())) }
    } else {
        quote! { crate::invoke::Invoked::document(call.fetch().await?) }
    };
    Ok(quote! {
        #id => {
            #[allow(unused_mut)]
            let mut call = client.#method();
            #(#setters)*
            #answer
        }
    })
}

/// `if let Some(value) = inputs.get::<T>("name") { call = call.name(value?); }`, `T` being
/// what the builder's setter for `input` converts to.
fn setter_call(id: &str, input: &Input, builder: &Operation) -> Result<TokenStream, String> {
    let snake = snake_case(&input.name);
    let candidates = [snake.clone(), format!("{snake}_")];
    let (setter, target) = builder
        .setters
        .iter()
        .find(|(name, _)| candidates.contains(name))
        .ok_or_else(|| {
            format!(
                "`{id}`'s builder has no setter for its input `{}` (looked for `{snake}`)",
                input.name
            )
        })?;
    let (name, setter) = (&input.name, format_ident!("{}", setter));
    Ok(quote! {
        if let ::std::option::Option::Some(value) = inputs.get::<#target>(#name) {
            call = call.#setter(value?);
        }
    })
}

/// A spec name as progenitor names its setter: lower case, `_` for anything not alphanumeric.
fn snake_case(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}
