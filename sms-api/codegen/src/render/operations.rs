//! Every request builder progenitor generated, as a `crate::send::Operation`: the response and
//! error types are read from the builder's `send_in()` (progenitor's `send()`), so nothing
//! about an operation is written by hand and an operation added to the spec gets `fetch()`
//! with the rest.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

use crate::model::Model;
use crate::model::spec_rules::SpecRules;

/// One builder of `client.rs`'s `builder` module.
pub struct Operation {
    /// The spec's `operationId`, as progenitor hands it to the hooks.
    pub operation_id: String,
    /// `impl<'a> ListTasks<'a>`: the impl's generics and self type, as written by progenitor.
    pub generics: syn::Generics,
    pub self_ty: Type,
    /// The names of the builder's methods (one per parameter, plus `send`).
    pub methods: Vec<String>,
    /// Each setter (`name<V>(value: V) where V: TryInto<T>`) and the `T` it converts to.
    pub setters: Vec<(String, Type)>,
    /// `types::ListTasksResponse`
    pub response: Type,
    /// `types::ErrorResponse`, or `()`
    pub error_body: Type,
}

/// Every builder of the generated client with its `send_in()` (progenitor's `send()`).
pub fn collect(client: &syn::File) -> Result<Vec<Operation>, String> {
    let builder = client
        .items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
            _ => None,
        })
        .ok_or("progenitor generated no `builder` module")?;
    let mut found = Vec::new();
    for item in builder {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        let methods: Vec<&syn::ImplItemFn> = block
            .items
            .iter()
            .filter_map(|i| match i {
                ImplItem::Fn(f) => Some(f),
                _ => None,
            })
            .collect();
        // progenitor's `send()`, made `send_in()` by passes::call_record.
        let Some(send_in) = methods.iter().find(|f| f.sig.ident == "send_in") else {
            if methods.iter().any(|f| f.sig.ident == "send") {
                return Err(format!(
                    "builder {}: a `send()` and no `send_in()`: passes::call_record did not find progenitor's hooks in it",
                    block.self_ty.to_token_stream()
                ));
            }
            continue;
        };
        let name = block.self_ty.to_token_stream().to_string();
        let (response, error_body) = result_types(&send_in.sig.output).ok_or_else(|| {
            format!(
                "builder {name}: `send_in()` does not return Result<ResponseValue<T>, Error<E>>"
            )
        })?;
        let body = send_in.block.to_token_stream().to_string();
        let operation_id = body
            .split_once("operation_id : \"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(id, _)| id.to_owned())
            .ok_or_else(|| format!("builder {name}: `send_in()` names no operation_id"))?;
        found.push(Operation {
            operation_id,
            generics: block.generics.clone(),
            self_ty: (*block.self_ty).clone(),
            methods: methods.iter().map(|f| f.sig.ident.to_string()).collect(),
            setters: methods
                .iter()
                .filter_map(|f| Some((f.sig.ident.to_string(), setter_target(&f.sig)?)))
                .collect(),
            response,
            error_body,
        });
    }
    Ok(found)
}

/// `T` of a setter's `where V: TryInto<T>` bound.
fn setter_target(sig: &syn::Signature) -> Option<Type> {
    let predicates = &sig.generics.where_clause.as_ref()?.predicates;
    predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(bound) = predicate else {
            return None;
        };
        bound.bounds.iter().find_map(|b| {
            let syn::TypeParamBound::Trait(b) = b else {
                return None;
            };
            let last = b.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            args.args.iter().find_map(|a| match a {
                GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
        })
    })
}

/// `T` and `E` of `-> Result<ResponseValue<T>, Error<E>>`.
fn result_types(output: &ReturnType) -> Option<(Type, Type)> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let [ok, err] = generic_args(ty)?[..] else {
        return None;
    };
    let [response] = generic_args(ok)?[..] else {
        return None;
    };
    let [error_body] = generic_args(err)?[..] else {
        return None;
    };
    Some((response.clone(), error_body.clone()))
}

/// The type arguments of a path type's last segment: `[A, B]` for `Result<A, B>`.
pub fn generic_args(ty: &Type) -> Option<Vec<&Type>> {
    let Type::Path(path) = ty else { return None };
    let PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
    )
}

/// `impl crate::send::Operation` for each builder, to be included beside `client.rs`, with the
/// run-time facts of every operation (its method, path template and whether it is safe to
/// repeat) as one table, `OPERATION_FACTS`, which the hooks look operations up in.
pub fn render(model: &Model, operations: &[Operation]) -> Result<TokenStream, String> {
    let mut rows = Vec::new();
    for op in &model.operations {
        let (id, method, path, safe) = (&op.id, &op.method, &op.path, op.safe_to_repeat);
        let row = quote! { crate::send::OperationFacts::new(#id, #method, #path, #safe) };
        rows.push(match op.gone_status {
            Some(status) => quote! { #row.gone_when(#status) },
            None => row,
        });
    }
    let rules = rules(&model.rules);
    let mut impls = Vec::new();
    for op in operations {
        // Its row of the table: the builder's facts are `OPERATION_FACTS[index]`.
        let index = model
            .operations
            .iter()
            .position(|o| o.id == op.operation_id)
            .ok_or_else(|| {
                format!(
                    "progenitor generated a builder for `{}`, which the model does not have",
                    op.operation_id
                )
            })?;
        let facts = &model.operations[index];
        let Operation {
            operation_id,
            generics,
            self_ty,
            response,
            error_body,
            ..
        } = op;
        let doc = format!(
            "The `{operation_id}` operation of the spec: `{} {}`, {}.",
            facts.method,
            facts.path,
            if facts.safe_to_repeat {
                "safe to repeat"
            } else {
                "not safe to repeat (never sent twice by itself)"
            }
        );
        impls.push(quote! {
            #[doc = #doc]
            impl #generics crate::send::Operation for builder::#self_ty {
                type Response = #response;
                type ErrorBody = #error_body;
                const OPERATION_ID: &'static str = #operation_id;
                const FACTS: &'static crate::send::OperationFacts = &OPERATION_FACTS[#index];
            }
            impl #generics crate::send::sealed::Sealed for builder::#self_ty {
                fn send_in<'f>(self, call: &'f crate::send::call_record::Call) -> crate::send::sealed::RawSend<'f, Self>
                where
                    Self: 'f,
                {
                    ::std::boxed::Box::pin(async move {
                        <builder::#self_ty>::send_in(self, call)
                            .await
                            .map(crate::send::Response::from_raw)
                            .map_err(crate::send::sealed::RawFailure)
                    })
                }
                fn client(&self) -> &Client {
                    self.operation_client()
                }
            }
        });
    }
    Ok(quote! {
        /// What the send path needs of every operation of the spec, in document order.
        pub(crate) const OPERATION_FACTS: &[crate::send::OperationFacts] = &[#(#rows),*];
        #rules
        #(#impls)*
    })
}

/// The spec's rules for every call, as constants (header names in lower case, as `http`'s
/// `HeaderName::from_static` takes them).
fn rules(rules: &SpecRules) -> TokenStream {
    let token_header = rules.token_header.to_ascii_lowercase();
    let token_doc = format!(
        "The IAM token's header (`{}`), from the spec's `iam_token` scheme.",
        rules.token_header
    );
    let max = usize::try_from(rules.token_max_length).unwrap_or(usize::MAX);
    let request_id = rules.request_id_header.to_ascii_lowercase();
    let request_id_doc = format!(
        "The header of the service's request id (`{}`, the spec's `x-request-id-header`).",
        rules.request_id_header
    );
    quote! {
        #[doc = #token_doc]
        pub(crate) const TOKEN_HEADER: &str = #token_header;
        /// The longest IAM token the service takes (the `iam_token` scheme's `x-max-length`).
        pub(crate) const TOKEN_MAX_LENGTH: usize = #max;
        #[doc = #request_id_doc]
        pub(crate) const REQUEST_ID_HEADER: &str = #request_id;
    }
}
