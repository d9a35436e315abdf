//! `waiters.rs`: every waiter of the spec (`x-waiters`, read by `model/waiters.rs`) as Rust: each path compiled
//! into a function over the typed response, the acceptors as a `crate::wait::WaiterSpec`, one
//! `wait_until_<name>()` per waiter on the operation's builder (a trait per operation, which
//! the prelude brings), and `crate::wait::Poll` for the operation: every page of a paginated
//! one, else one `fetch()`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::Type;

use super::operations::{Operation, generic_args};
use crate::model::Model;
use crate::model::waiters::{
    self as model, Acceptor, Comparator, Kind, Matcher, Path, State, Waiter,
};
use crate::names::{snake_case, type_name, waiter_method};
use crate::syntax::{field, is_option, item_type, response_struct};

/// The generated code for every operation with waiters or a watch.
pub fn render(
    model: &Model,
    client: &syn::File,
    operations: &[Operation],
) -> Result<TokenStream, String> {
    let raw = &model.document.raw;
    let mut out = Vec::new();
    for op_model in &model.operations {
        let (waiters, watch) = (&op_model.waiters, &op_model.watch);
        let (at, id) = (&op_model.pointer, &op_model.id);
        let operation = operations
            .iter()
            .find(|o| &o.operation_id == id)
            .ok_or_else(|| format!("{at}: progenitor generated no builder for `{id}`"))?;
        let paginated = op_model.pagination.is_some();
        // Every operation can be waited on (`Waiter::until`), its declared waiters or not.
        out.push(poll_impl(operation, paginated));
        if waiters.is_empty() && watch.is_none() {
            continue;
        }
        let op = model
            .document
            .at(at)
            .ok_or_else(|| format!("{at}: the operation is not in the document"))?;
        let response_schema = model::success_schema(raw, op)
            .ok_or_else(|| format!("{at}: no JSON success response"))?;
        if !waiters.is_empty() {
            out.push(operation_waiters(
                raw,
                client,
                operation,
                response_schema,
                waiters,
            )?);
        }
        if let Some(watch) = watch {
            let (generics, self_ty) = (&operation.generics, &operation.self_ty);
            let (key, fields) = (&watch.key, &watch.fields);
            let listed: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
            let doc = format!(
                "Watched as the spec's `x-watch` says: each item keyed by `{key}`; the fields followed: {}.",
                listed.join(", ")
            );
            out.push(quote! {
                #[doc = #doc]
                impl #generics crate::wait::Watched for builder::#self_ty {
                    const KEY: &'static str = #key;
                    const FIELDS: &'static [&'static str] = &[#(#fields),*];
                }
            });
        }
    }
    Ok(quote! { #(#out)* })
}

fn operation_waiters(
    raw: &Value,
    client: &syn::File,
    operation: &Operation,
    response_schema: &Value,
    waiters: &[Waiter],
) -> Result<TokenStream, String> {
    let Operation {
        operation_id,
        generics,
        self_ty,
        response,
        ..
    } = operation;
    let root = response_struct(client, response)
        .ok_or_else(|| format!("`{operation_id}`: the success response is not an object type"))?;
    let compile = Compile {
        raw,
        client,
        schema: response_schema,
        root,
        response,
    };
    let camel = type_name(operation_id);
    let trait_name = format_ident!("{camel}Waiters");
    let mut items = Vec::new();
    let mut signatures = Vec::new();
    let mut methods = Vec::new();
    let mut names = Vec::new();
    let mut by_name = Vec::new();
    for waiter in waiters {
        let snake = snake_case(&waiter.name);
        let spec_name = format_ident!("{}_{}", operation_id.to_uppercase(), snake.to_uppercase());
        let mut acceptors = Vec::new();
        for (index, acceptor) in waiter.acceptors.iter().enumerate() {
            let fn_prefix = format!("{operation_id}_{snake}_{index}");
            let (tokens, helpers) = compile.acceptor(acceptor, &fn_prefix)?;
            acceptors.push(tokens);
            items.extend(helpers);
        }
        let (name, min, max, count) = (
            &waiter.name,
            waiter.min_delay,
            waiter.max_delay,
            acceptors.len(),
        );
        let acceptors_name = format_ident!("{spec_name}_ACCEPTORS");
        items.push(quote! {
            static #acceptors_name: [crate::wait::Acceptor<#response>; #count] = [#(#acceptors),*];
            static #spec_name: crate::wait::WaiterSpec<#response> = crate::wait::WaiterSpec {
                name: #name,
                min_delay: #min,
                max_delay: #max,
                acceptors: &#acceptors_name,
            };
        });
        let method = format_ident!("{}", waiter_method(&waiter.name));
        names.push(waiter.name.clone());
        by_name.push(quote! { #name => Some(self.#method()), });
        let table = waiter
            .table
            .as_ref()
            .map(|table| format!("\n\n{}", table.markdown(&waiter.acceptors).trim_end()))
            .unwrap_or_default();
        let doc = format!(
            "{}{table}\n\nPolls at once, then every {min}-{max} s (the spec's `minDelay` and `maxDelay`; \
             change them on the returned [`Waiter`](crate::wait::Waiter)); from the spec's \
             `x-waiters` `{name}`.",
            waiter.documentation
        );
        signatures.push(quote! {
            #[doc = #doc]
            fn #method(self) -> crate::wait::Waiter<Self>;
        });
        methods.push(quote! {
            fn #method(self) -> crate::wait::Waiter<Self> {
                crate::wait::Waiter::new(self, &#spec_name)
            }
        });
    }
    let trait_doc = format!(
        "The waiters of `{operation_id}` (the spec's `x-waiters`): `use sms_api::prelude::*;` brings them."
    );
    Ok(quote! {
        #(#items)*

        #[doc = #trait_doc]
        pub trait #trait_name: crate::wait::Poll + Sized {
            /// Every waiter's name in the spec, in its order.
            const WAITER_NAMES: &'static [&'static str] = &[#(#names),*];

            #(#signatures)*

            /// The waiter named `name` in the spec (`"TaskMigrated"`), if there is one: for
            /// tools that take the waiter from their input.
            fn waiter_named(self, name: &str) -> Option<crate::wait::Waiter<Self>> {
                match name {
                    #(#by_name)*
                    _ => None,
                }
            }
        }

        impl #generics #trait_name for builder::#self_ty {
            #(#methods)*
        }
    })
}

/// How a wait polls `operation`: every page of a paginated one, one `fetch()` of another.
fn poll_impl(operation: &Operation, paginated: bool) -> TokenStream {
    let (generics, self_ty) = (&operation.generics, &operation.self_ty);
    let poll = if paginated {
        quote! { crate::wait::poll_every_page(self, tally) }
    } else {
        quote! { crate::wait::poll_once(self, tally) }
    };
    quote! {
        impl #generics crate::wait::Poll for builder::#self_ty {
            fn poll(self, tally: crate::paging::RequestTally) -> impl ::std::future::Future<Output = ::std::result::Result<Self::Response, crate::Error>> + Send {
                #poll
            }
        }
    }
}

/// What compiling a path needs: the spec, the generated types, the response.
struct Compile<'a> {
    raw: &'a Value,
    client: &'a syn::File,
    schema: &'a Value,
    root: &'a syn::ItemStruct,
    response: &'a Type,
}

impl Compile<'_> {
    /// One acceptor as a `crate::wait::Acceptor`, and the functions its matcher calls.
    fn acceptor(
        &self,
        acceptor: &Acceptor,
        prefix: &str,
    ) -> Result<(TokenStream, Vec<TokenStream>), String> {
        let state = match acceptor.state {
            State::Success => quote! { crate::wait::State::Success },
            State::Failure => quote! { crate::wait::State::Failure },
            State::Retry => quote! { crate::wait::State::Retry },
        };
        let message = match &acceptor.message {
            Some(m) => quote! { Some(#m) },
            None => quote! { None },
        };
        let show = &acceptor.show;
        let not_found = acceptor.not_found;
        let mut helpers = Vec::new();
        let matcher = match &acceptor.matcher {
            Matcher::Success(b) => quote! { crate::wait::Matcher::Success(#b) },
            Matcher::ErrorType(code) => quote! { crate::wait::Matcher::ErrorType(#code) },
            Matcher::Output {
                path,
                text,
                expected,
                comparator,
            } => {
                let response = self.response;
                let extract_fn = format_ident!("{prefix}_extract");
                let body = self
                    .extract(path)
                    .map_err(|e| format!("x-waiters path `{text}`: {e}"))?;
                helpers.push(quote! {
                    fn #extract_fn(r: &#response) -> crate::wait::Extracted<'_> { #body }
                });
                let elements = match path {
                    Path::Projection { list, .. } => {
                        let elements_fn = format_ident!("{prefix}_elements");
                        let (chain, _) = self.chain(quote! { r }, self.root, list)?;
                        helpers.push(quote! {
                            fn #elements_fn(r: &#response) -> ::std::vec::Vec<::serde_json::Value> {
                                #chain
                                    .map(|list| list.iter().map(|e| ::serde_json::to_value(e).unwrap_or_default()).collect())
                                    .unwrap_or_default()
                            }
                        });
                        quote! { Some(#elements_fn) }
                    }
                    _ => quote! { None },
                };
                let comparator = match comparator {
                    Comparator::StringEquals => quote! { crate::wait::Comparator::StringEquals },
                    Comparator::BooleanEquals => quote! { crate::wait::Comparator::BooleanEquals },
                    Comparator::AllStringEquals => {
                        quote! { crate::wait::Comparator::AllStringEquals }
                    }
                    Comparator::AnyStringEquals => {
                        quote! { crate::wait::Comparator::AnyStringEquals }
                    }
                };
                quote! {
                    crate::wait::Matcher::Output {
                        path: #text,
                        extract: #extract_fn,
                        elements: #elements,
                        comparator: #comparator,
                        expected: #expected,
                    }
                }
            }
        };
        Ok((
            quote! {
                crate::wait::Acceptor { state: #state, matcher: #matcher, message: #message, show: &[#(#show),*], not_found: #not_found }
            },
            helpers,
        ))
    }

    /// The body of an extractor: `r` to a `crate::wait::Extracted`.
    fn extract(&self, path: &Path) -> Result<TokenStream, String> {
        match path {
            Path::Field(fields) => {
                let kind = model::kind_of(self.raw, path, self.schema)?;
                let (chain, _) = self.chain(quote! { r }, self.root, fields)?;
                let scalar = scalar(kind);
                Ok(quote! { crate::wait::Extracted::One(#chain.map(#scalar)) })
            }
            Path::Length(fields) => {
                let (chain, _) = self.chain(quote! { r }, self.root, fields)?;
                Ok(quote! {
                    crate::wait::Extracted::One(Some(crate::wait::Scalar::Num(#chain.map_or(0, |v| v.len()) as f64)))
                })
            }
            Path::Projection { list, field: inner } => {
                let (chain, list_ty) = self.chain(quote! { r }, self.root, list)?;
                let element_ty =
                    item_type(self.client, &list_ty).ok_or("the projected field is not a list")?;
                let (element_chain, _) = if inner.is_empty() {
                    (
                        quote! { ::std::option::Option::Some(e) },
                        element_ty.clone(),
                    )
                } else {
                    let element = response_struct(self.client, &element_ty)
                        .ok_or("the list's elements are not objects")?;
                    self.chain(quote! { e }, element, inner)?
                };
                let scalar = scalar(Kind::String);
                Ok(quote! {
                    crate::wait::Extracted::Many(
                        #chain
                            .map(|list| list.iter().enumerate().map(|(i, e)| (i, #element_chain.map(#scalar))).collect())
                            .unwrap_or_default()
                    )
                })
            }
            Path::Compare { left, op, right } => {
                let left = self.extract(left)?;
                let op = match op {
                    model::Op::Eq => quote! { crate::wait::Op::Eq },
                    model::Op::Ne => quote! { crate::wait::Op::Ne },
                    model::Op::Lt => quote! { crate::wait::Op::Lt },
                    model::Op::Le => quote! { crate::wait::Op::Le },
                    model::Op::Gt => quote! { crate::wait::Op::Gt },
                    model::Op::Ge => quote! { crate::wait::Op::Ge },
                };
                let right = match right {
                    Value::Number(n) => {
                        let n = n.as_f64().unwrap_or_default();
                        quote! { crate::wait::Scalar::Num(#n) }
                    }
                    Value::Bool(b) => quote! { crate::wait::Scalar::Bool(#b) },
                    Value::String(s) => quote! { crate::wait::Scalar::Str(#s) },
                    other => return Err(format!("cannot compare with `{other}`")),
                };
                Ok(quote! { crate::wait::compare(#left, #op, #right) })
            }
        }
    }

    /// `start` followed through `fields` of `root`: an `Option<&T>` expression, and `T`.
    fn chain(
        &self,
        start: TokenStream,
        root: &syn::ItemStruct,
        fields: &[String],
    ) -> Result<(TokenStream, Type), String> {
        let mut expr = quote! { ::std::option::Option::Some(#start) };
        let mut current = root;
        let mut leaf: Option<Type> = None;
        for (index, name) in fields.iter().enumerate() {
            let (found, ty) = field(current, name)
                .ok_or_else(|| format!("`{name}` is not a field of `{}`", current.ident))?;
            let ident = &found.ident;
            expr = if found.optional {
                quote! { #expr.and_then(|x| x.#ident.as_ref()) }
            } else {
                quote! { #expr.map(|x| &x.#ident) }
            };
            let inner = if is_option(&ty) {
                generic_args(&ty)
                    .and_then(|a| a.first().map(|t| (*t).clone()))
                    .unwrap_or(ty)
            } else {
                ty
            };
            if index + 1 < fields.len() {
                current = response_struct(self.client, &inner)
                    .ok_or_else(|| format!("`{name}` is not an object"))?;
            }
            leaf = Some(inner);
        }
        Ok((expr, leaf.ok_or("an empty path")?))
    }
}

/// The closure that makes a leaf of `kind` a `crate::wait::Scalar`.
fn scalar(kind: Kind) -> TokenStream {
    match kind {
        Kind::Boolean => quote! { |v| crate::wait::Scalar::Bool(*v) },
        Kind::Number => quote! { |v| crate::wait::Scalar::Num(crate::types::Number::number(v)) },
        _ => quote! { |v| crate::wait::Scalar::Str(crate::types::Text::text(v)) },
    }
}
