//! Docs that lead to the way in. progenitor documents its own entry points: each operation's
//! example ends in `.send()`, each builder says only that it is a builder, `Client::new` is a
//! constructor no caller can use (its `ClientState` comes from `Client::builder()`), and typify
//! offers a `builder()` on every type whose setters do not take plain values. This rewrites
//! those docs to lead to `fetch()`/`paginate()` and to building types from `Default`.

use quote::ToTokens;
use syn::{Attribute, Expr, Fields, ImplItem, Item, Lit, Type, parse_quote};

/// Rewrites the docs of the client, its builders and its types; how many items changed.
pub fn rewrite(client: &mut syn::File) -> usize {
    let mut changed = 0;
    for item in &mut client.items {
        match item {
            Item::Impl(block) if is_client(&block.self_ty) && block.trait_.is_none() => {
                for member in &mut block.items {
                    let ImplItem::Fn(function) = member else {
                        continue;
                    };
                    let name = function.sig.ident.to_string();
                    if name == "new" || name == "new_with_client" {
                        // Crate-visible or gone (passes::progenitor_surface).
                        continue;
                    }
                    rewrite_operation_doc(&mut function.attrs);
                    changed += 1;
                }
            }
            Item::Mod(module) if module.ident == "builder" => {
                for item in module.content.iter_mut().flat_map(|(_, items)| items) {
                    if let Item::Struct(builder) = item {
                        lead_to_fetch(&mut builder.attrs);
                        changed += 1;
                    }
                }
            }
            Item::Mod(module) if module.ident == "types" => {
                for item in module.content.iter_mut().flat_map(|(_, items)| items) {
                    match item {
                        Item::Struct(s) => {
                            let example = build_example(s);
                            append_doc(&mut s.attrs, &example);
                            changed += 1;
                        }
                        // typify's builders: setters that take `TryInto<Option<T>>`, so
                        // `.id("t1")` does not compile; `Default` is the way in.
                        Item::Mod(inner) if inner.ident == "builder" => {
                            inner.attrs.push(parse_quote!(#[doc(hidden)]));
                            changed += 1;
                        }
                        Item::Impl(block) if block.trait_.is_none() => {
                            for member in &mut block.items {
                                if let ImplItem::Fn(f) = member
                                    && f.sig.ident == "builder"
                                {
                                    f.attrs.push(parse_quote!(#[doc(hidden)]));
                                    changed += 1;
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    changed
}

fn is_client(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.is_ident("Client"))
}

/// The text of a `#[doc = "..."]` attribute.
fn doc_text(attr: &Attribute) -> Option<String> {
    let syn::Meta::NameValue(pair) = &attr.meta else {
        return None;
    };
    if !pair.path.is_ident("doc") {
        return None;
    }
    match &pair.value {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(text) => Some(text.value()),
            _ => None,
        },
        _ => None,
    }
}

/// An operation's example: `fetch()` from the prelude, not `send()`.
fn rewrite_operation_doc(attrs: &mut [Attribute]) {
    for attr in attrs {
        let Some(text) = doc_text(attr) else { continue };
        if !text.contains(".send()") {
            continue;
        }
        let text = text
            .replace(
                "```ignore\n",
                "```ignore\nuse sms_api::prelude::*; // fetch(); paginate() for a paginated operation\n\n",
            )
            .replace(".send()\n    .await;", ".fetch()\n    .await?;");
        *attr = parse_quote!(#[doc = #text]);
    }
}

/// A builder's first lines: how to send it.
fn lead_to_fetch(attrs: &mut [Attribute]) {
    let Some(attr) = attrs.iter_mut().find(|a| doc_text(a).is_some()) else {
        return;
    };
    let text = doc_text(attr).unwrap_or_default();
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let text = format!(
        "{first}\n\nSet its parameters, then send it with \
         [`fetch()`](crate::send::FetchExt::fetch) (one call, returning [`crate::Error`]) or, \
         for a paginated operation, stream every page with \
         [`paginate()`](crate::paging::PaginateExt::paginate); `use sms_api::prelude::*;` \
         brings both. `send()` is progenitor's own: the same request through the same hooks, \
         returning its raw error, without `kind()` or `request_id()`.\n{rest}"
    );
    *attr = parse_quote!(#[doc = #text]);
}

fn append_doc(attrs: &mut Vec<Attribute>, text: &str) {
    for line in text.lines() {
        let line = format!(" {line}");
        let line = line.trim_end();
        attrs.push(parse_quote!(#[doc = #line]));
    }
}

/// How to build a value of the generated struct `s`: from `Default`, assigning a field, or
/// decoding it.
fn build_example(s: &syn::ItemStruct) -> String {
    let name = &s.ident;
    let Fields::Named(fields) = &s.fields else {
        return String::new();
    };
    let optional = |ty: &Type| ty.to_token_stream().to_string().contains("Option <");
    let assignment = fields.named.iter().find_map(|field| {
        let ident = field.ident.as_ref()?;
        let ty = field.ty.to_token_stream().to_string();
        let value = if !optional(&field.ty) || ty.contains("Vec") || ty.contains("Map") {
            return None;
        } else if ty.contains("String") {
            "Some(\"example\".to_owned())"
        } else if ty.contains("bool") {
            "Some(true)"
        } else if ty.contains("i32") || ty.contains("i64") {
            "Some(1)"
        } else if ty.contains("f64") || ty.contains("f32") {
            "Some(1.5)"
        } else {
            return None;
        };
        Some(format!("value.{ident} = {value};\n"))
    });
    let decode = if fields.named.iter().all(|f| optional(&f.ty)) {
        format!(
            "let decoded: sms_api::types::{name} = serde_json::from_str(\"{{}}\").unwrap();\n\
             assert_eq!(decoded, sms_api::types::{name}::default());\n"
        )
    } else {
        String::new()
    };
    let required: Vec<String> = fields
        .named
        .iter()
        .filter(|f| !optional(&f.ty))
        .filter_map(|f| {
            f.ident
                .as_ref()
                .map(|i| format!("`{}`", i.to_string().trim_start_matches("r#")))
        })
        .collect();
    if !required.is_empty() {
        // A request body with required fields has no `Default`: the operation's builder fills
        // it field by field (`passes/body_setters.rs`).
        return format!(
            "\n`#[non_exhaustive]`, so that a field added to the spec is not a breaking change. \
             It has required fields ({}), so it has no `Default`: it is a request body, which its \
             operation's builder fills one field at a time (each setter says which field it \
             sets, and a missing required one is refused before anything is sent); or decode it.\n\n\
             ```\n\
             let missing = serde_json::from_str::<sms_api::types::{name}>(\"{{}}\");\n\
             assert!(missing.is_err(), \"a required field is missing\");\n\
             ```",
            required.join(", ")
        );
    }
    let mutable = if assignment.is_some() { "mut " } else { "" };
    format!(
        "\n`#[non_exhaustive]`, so that a field added to the spec is not a breaking change: build \
         one from `Default` and assign its fields, or decode it.\n\n\
         ```\n\
         let {mutable}value = sms_api::types::{name}::default();\n\
         {}{decode}\
         # let _ = value;\n\
         ```",
        assignment.unwrap_or_default()
    )
}
