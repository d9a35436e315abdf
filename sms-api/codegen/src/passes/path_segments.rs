//! Path parameters through the crate's own encoder. progenitor builds each URL with
//! `format!("{}/v3/tasks/{}", client.baseurl, encode_path(&task_id.to_string()))`, and its
//! `encode_path` leaves `\` unescaped (the URL parser makes it `/`) and `.`, `..` and empty
//! values as they are, so a value could leave its segment. Each call becomes
//! `crate::send::path_segment::encode("task_id", &task_id.to_string()).map_err(Error::InvalidRequest)?`:
//! every byte outside RFC 3986's unreserved set escaped, and a value no segment can hold
//! refused before anything is sent, naming the parameter.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Macro, Token, parse_quote};

use crate::syntax::module_items_mut;

/// Rewrites every `encode_path(..)` in the URL `format!`s of the `builder` module; returns how
/// many it rewrote.
pub fn own_encoder(client: &mut syn::File) -> usize {
    let Some(items) = module_items_mut(client, "builder") else {
        return 0;
    };
    let mut urls = UrlFormats::default();
    for item in items {
        urls.visit_item_mut(item);
    }
    urls.rewritten
}

#[derive(Default)]
struct UrlFormats {
    rewritten: usize,
}

impl VisitMut for UrlFormats {
    fn visit_macro_mut(&mut self, mac: &mut Macro) {
        if !mac.path.is_ident("format") {
            return;
        }
        let Ok(mut args) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        else {
            return;
        };
        let mut calls = EncodePathCalls::default();
        for arg in &mut args {
            calls.visit_expr_mut(arg);
        }
        if calls.rewritten > 0 {
            mac.tokens = args.into_token_stream();
            self.rewritten += calls.rewritten;
        }
    }
}

#[derive(Default)]
struct EncodePathCalls {
    rewritten: usize,
}

impl VisitMut for EncodePathCalls {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Some((name, value)) = encode_path_call(expr) {
            *expr = parse_quote! {
                crate::send::path_segment::encode(#name, #value).map_err(Error::InvalidRequest)?
            };
            self.rewritten += 1;
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// The parameter's name and the value expression of `encode_path(&name.to_string())`.
fn encode_path_call(expr: &Expr) -> Option<(String, TokenStream)> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Path(func) = &*call.func else {
        return None;
    };
    if !func.path.is_ident("encode_path") || call.args.len() != 1 {
        return None;
    }
    let value = &call.args[0];
    let name = parameter_name(value)?;
    Some((name, value.to_token_stream()))
}

/// `name` of `&name.to_string()`.
fn parameter_name(value: &Expr) -> Option<String> {
    let Expr::Reference(reference) = value else {
        return None;
    };
    let Expr::MethodCall(call) = &*reference.expr else {
        return None;
    };
    let Expr::Path(receiver) = &*call.receiver else {
        return None;
    };
    Some(receiver.path.get_ident()?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_parameter_goes_through_the_crates_encoder_naming_itself() {
        let mut file: syn::File = parse_quote! {
            pub mod builder {
                fn send_in() {
                    let url = format!(
                        "{}/v3/tasks/{}/x/{}", client.baseurl,
                        encode_path(&task_id.to_string()), encode_path(&other.to_string()),
                    );
                    let unrelated = format!("{}", encode_path(&a.b));
                }
            }
        };
        assert_eq!(own_encoder(&mut file), 2);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains(
                "crate :: send :: path_segment :: encode (\"task_id\" , & task_id . to_string ()) . map_err (Error :: InvalidRequest) ?"
            ),
            "{text}"
        );
        assert!(text.contains("encode (\"other\""), "{text}");
        assert!(text.contains("encode_path (& a . b)"), "{text}");
    }
}
