//! Documents progenitor's typed mock responses and lets them set headers. progenitor generates,
//! for each operation, a `...Then` with one method per documented status (`ok`, `forbidden`...)
//! and no docs; a test that wants the `X-Request-Id` its code reports had to drop to raw
//! httpmock. This adds docs that say what each method answers, and `request_id()`/`header()`.

use quote::ToTokens;
use syn::{ImplItem, Item, Type, parse_quote};

use crate::syntax::module_items_mut;

/// Rewrites the `operations` module of `mock.rs`; returns how many `...Then` types it extended.
pub fn extend(mock: &mut syn::File) -> usize {
    let mut extended = 0;
    if let Some(items) = module_items_mut(mock, "operations") {
        let mut added = Vec::new();
        for item in items.iter_mut() {
            match item {
                Item::Struct(s) if s.ident.to_string().ends_with("Then") => {
                    let doc = format!(
                        " The response of a typed mock: one method per status the spec documents \
                         for the operation, each answering with a typed JSON body; \
                         [`request_id`]({}::request_id) and [`header`]({}::header) add headers.",
                        s.ident, s.ident
                    );
                    s.attrs.push(parse_quote!(#[doc = #doc]));
                    added.push(helpers(&s.ident));
                }
                Item::Struct(s) if s.ident.to_string().ends_with("When") => {
                    let doc = " The request a typed mock matches: one method per parameter of \
                               the operation (`None` matches a request without it).";
                    s.attrs.push(parse_quote!(#[doc = #doc]));
                }
                Item::Impl(block) if is_then(&block.self_ty) => {
                    for member in &mut block.items {
                        if let ImplItem::Fn(f) = member {
                            let doc = describe(f);
                            f.attrs.push(parse_quote!(#[doc = #doc]));
                        }
                    }
                }
                Item::Impl(block) if block.trait_.is_none() => {
                    for member in &mut block.items {
                        if let ImplItem::Fn(f) = member {
                            let name = f.sig.ident.to_string();
                            let doc = wrapper_doc(&name).unwrap_or_else(|| {
                                format!(
                                    " Matches the `{name}` query parameter: `Some(value)` \
                                     requires it, `None` requires its absence."
                                )
                            });
                            f.attrs.push(parse_quote!(#[doc = #doc]));
                        }
                    }
                }
                _ => {}
            }
        }
        extended += added.len();
        items.extend(added);
    }
    extended
}

/// The doc of the methods every typed mock type has: `new` and `into_inner`.
fn wrapper_doc(name: &str) -> Option<String> {
    match name {
        "new" => Some(" Wraps httpmock's own.".to_owned()),
        "into_inner" => {
            Some(" httpmock's own, for what the typed methods do not cover.".to_owned())
        }
        _ => None,
    }
}

fn is_then(ty: &Type) -> bool {
    ty.to_token_stream().to_string().ends_with("Then")
}

/// The doc of one method of a `...Then`: the status it answers, read from its body.
fn describe(f: &syn::ImplItemFn) -> String {
    if let Some(doc) = wrapper_doc(&f.sig.ident.to_string()) {
        return doc;
    }
    let body = f.block.to_token_stream().to_string();
    let status = body
        .split_once("status (")
        .and_then(|(_, rest)| rest.split_once("u16"))
        .map(|(status, _)| status.trim().to_owned());
    // A response the spec declares without content takes no value and sends no body.
    let takes_value = f
        .sig
        .inputs
        .iter()
        .any(|input| matches!(input, syn::FnArg::Typed(arg) if arg.pat.to_token_stream().to_string() == "value"));
    match (status, takes_value) {
        (Some(status), true) => format!(" Answers HTTP {status} with `value` as its JSON body."),
        (Some(status), false) => format!(" Answers HTTP {status}, with no body."),
        (None, true) => " Answers with `value` as its JSON body, with the given status.".to_owned(),
        (None, false) => " Answers with the given status, with no body.".to_owned(),
    }
}

/// `request_id()` and `header()` for the response type `then`.
fn helpers(then: &syn::Ident) -> Item {
    let example = format!(
        " ```\n # fn main() {{}}\n # fn mock(then: sms_api::mock::operations::{then}) {{\n \
         let then = then.request_id(\"rid-403\");\n # let _ = then;\n # }}\n ```"
    );
    parse_quote! {
        impl #then {
            /// Adds the request-id header (the spec's `x-request-id-header`) that the service
            /// sends with every answer, and that `sms_api::Error::request_id()` reports.
            ///
            #[doc = #example]
            pub fn request_id(self, id: &str) -> Self {
                Self(self.0.header(crate::generated::client::REQUEST_ID_HEADER, id))
            }

            /// Adds a header to the answer.
            pub fn header(self, name: &str, value: &str) -> Self {
                Self(self.0.header(name, value))
            }
        }
    }
}
