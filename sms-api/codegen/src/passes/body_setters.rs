//! A request body's fields as setters of its operation's builder. progenitor gives a builder
//! with a JSON body only `body(value)` and `body_map(|b| ..)` over typify's builder, whose
//! setters take `TryInto<Option<T>>` (so `.template_id("t")` does not compile) and which the
//! docs hide; this adds one setter per field, named as the field:
//! `client.update_task_status().task_id("t-1").operation("start")`.
//!
//! Each takes what converts into the field's type (a string for an open enum, checked against
//! its documented values; a string for a length-limited newtype, checked against its bounds),
//! and a value that does not convert is kept as the body's error, so `fetch()` refuses the call
//! before anything is sent and says which field and why (`send/outcome.rs`). A required field
//! never set is refused the same way, by typify's own conversion of the body.

use quote::{ToTokens, format_ident, quote};
use syn::{Fields, ImplItem, Item, Type, parse_quote};

use crate::render::operations::generic_args;
use crate::syntax::{is_option, module_items_mut, types_module};

/// A field of a body struct: its ident, its type, and its rustdoc.
struct BodyField {
    ident: syn::Ident,
    ty: Type,
    doc: String,
}

/// Adds the setters to every builder with a JSON body; returns how many it added.
pub fn add(client: &mut syn::File) -> usize {
    let bodies = body_structs(client);
    let Some(items) = module_items_mut(client, "builder") else {
        return 0;
    };
    // The builder structs with a `body: Result<types::builder::X, String>` field, and X.
    let with_body: Vec<(syn::Ident, String)> = items
        .iter()
        .filter_map(|item| {
            let Item::Struct(builder) = item else {
                return None;
            };
            let Fields::Named(fields) = &builder.fields else {
                return None;
            };
            let body = fields
                .named
                .iter()
                .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"))?;
            let inner = generic_args(&body.ty)?
                .first()?
                .to_token_stream()
                .to_string();
            let name = inner.rsplit("::").next()?.trim().to_owned();
            Some((builder.ident.clone(), name))
        })
        .collect();
    let mut added = 0;
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        let Type::Path(self_ty) = &*block.self_ty else {
            continue;
        };
        let Some(builder) = self_ty.path.segments.last().map(|s| &s.ident) else {
            continue;
        };
        let Some((_, body)) = with_body.iter().find(|(b, _)| b == builder) else {
            continue;
        };
        let Some((_, fields)) = bodies.iter().find(|(name, _)| name == body) else {
            continue;
        };
        let taken: Vec<String> = block
            .items
            .iter()
            .filter_map(|i| match i {
                ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        for field in fields {
            if taken.contains(&field.ident.to_string()) {
                continue;
            }
            block.items.push(setter(body, field));
            added += 1;
        }
    }
    added
}

/// The setter of one body field.
fn setter(body: &str, field: &BodyField) -> ImplItem {
    let ident = &field.ident;
    let name = ident.to_string().trim_start_matches("r#").to_owned();
    let optional = is_option(&field.ty);
    let inner = if optional {
        generic_args(&field.ty)
            .and_then(|args| args.first().map(|t| (*t).clone()))
            .unwrap_or_else(|| field.ty.clone())
    } else {
        field.ty.clone()
    };
    let inner = qualified(inner);
    let wrapped = if optional {
        quote! { ::std::option::Option::Some(value) }
    } else {
        quote! { value }
    };
    let required = if optional {
        "optional"
    } else {
        "required: a call that never sets it is refused before anything is sent"
    };
    let doc = format!(
        "{}\n\nSets `{name}` in the JSON request body (`{body}`; {required}). A value that \
         does not convert (a string that is not a documented value of an enum, one outside its \
         documented length) is refused by `fetch()` before anything is sent.",
        field.doc.trim()
    );
    let message = format!("body field `{name}`");
    parse_quote! {
        #[doc = #doc]
        pub fn #ident<V>(mut self, value: V) -> Self
        where
            V: ::std::convert::TryInto<#inner>,
            V::Error: ::std::fmt::Display,
        {
            match value.try_into() {
                ::std::result::Result::Ok(value) => {
                    self.body = self.body.map(|body| body.#ident(#wrapped));
                }
                ::std::result::Result::Err(e) => {
                    self.body = ::std::result::Result::Err(::std::format!("{}: {}", #message, e));
                }
            }
            self
        }
    }
}

/// A type named as the `types` module names it, as the `builder` module must: a type of the
/// module itself (`UpdateTaskStatusReqTemplateId`) gets `types::`; paths from the crate or std,
/// and primitives, stay.
fn qualified(ty: Type) -> Type {
    let Type::Path(path) = &ty else { return ty };
    if path.qself.is_some() || path.path.leading_colon.is_some() || path.path.segments.len() != 1 {
        return ty;
    }
    let ident = &path.path.segments[0].ident;
    let primitive = [
        "bool", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64", "String",
    ]
    .iter()
    .any(|p| ident == p);
    if primitive || ident == "crate" {
        return ty;
    }
    let ident = format_ident!("{}", ident);
    parse_quote!(types::#ident)
}

/// Every struct of the `types` module with its fields (those a body could be).
fn body_structs(client: &syn::File) -> Vec<(String, Vec<BodyField>)> {
    let Some(items) = types_module(client) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let Item::Struct(s) = item else { return None };
            let Fields::Named(fields) = &s.fields else {
                return None;
            };
            let fields = fields
                .named
                .iter()
                .filter_map(|f| {
                    let doc = f
                        .attrs
                        .iter()
                        .filter_map(|a| match &a.meta {
                            syn::Meta::NameValue(pair) if pair.path.is_ident("doc") => {
                                match &pair.value {
                                    syn::Expr::Lit(syn::ExprLit {
                                        lit: syn::Lit::Str(text),
                                        ..
                                    }) => Some(text.value()),
                                    _ => None,
                                }
                            }
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    Some(BodyField {
                        ident: f.ident.clone()?,
                        ty: f.ty.clone(),
                        doc,
                    })
                })
                .collect();
            Some((s.ident.to_string(), fields))
        })
        .collect()
}
