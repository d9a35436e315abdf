//! The fields of the generated types, as the renderers of progenitor's output
//! (pagination, waiters) find them: a response struct, its field for a JSON property, whether
//! it is optional, the element type of a list.

use quote::{ToTokens, quote};
use syn::{Fields, Item, Type};

use crate::render::operations::generic_args;

/// A field of the response, and whether it is optional.
pub struct Field {
    pub ident: syn::Ident,
    pub optional: bool,
}

/// The struct of `types` that `types::Name` names.
pub fn response_struct<'f>(client: &'f syn::File, response: &Type) -> Option<&'f syn::ItemStruct> {
    let Type::Path(path) = response else {
        return None;
    };
    let name = &path.path.segments.last()?.ident;
    types_module(client)?.iter().find_map(|item| match item {
        Item::Struct(s) if &s.ident == name => Some(s),
        _ => None,
    })
}

/// The items of the inline module `name` of a generated file (`types`, `builder`,
/// `operations`), for the passes that rewrite them.
pub fn module_items_mut<'f>(file: &'f mut syn::File, name: &str) -> Option<&'f mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

pub fn types_module(client: &syn::File) -> Option<&Vec<Item>> {
    client.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// The field that holds JSON property `name` (by its ident or its `serde(rename)`), and its type.
pub fn field(response: &syn::ItemStruct, name: &str) -> Option<(Field, Type)> {
    let Fields::Named(fields) = &response.fields else {
        return None;
    };
    fields.named.iter().find_map(|f| {
        let ident = f.ident.as_ref()?;
        let renamed = f.attrs.iter().any(|a| {
            a.path().is_ident("serde")
                && a.to_token_stream()
                    .to_string()
                    .contains(&format!("rename = \"{name}\""))
        });
        (ident == name || renamed).then(|| {
            let optional = is_option(&f.ty);
            (
                Field {
                    ident: ident.clone(),
                    optional,
                },
                f.ty.clone(),
            )
        })
    })
}

pub fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// `T` of `Option<Vec<T>>` or `Vec<T>`, as a path from the client's root.
pub fn item_type(client: &syn::File, ty: &Type) -> Option<Type> {
    let vec = if is_option(ty) {
        *generic_args(ty)?.first()?
    } else {
        ty
    };
    let Type::Path(p) = vec else { return None };
    if p.path.segments.last()?.ident != "Vec" {
        return None;
    }
    let item = *generic_args(vec)?.first()?;
    // A type of the `types` module is named from the module it was written in.
    if let Type::Path(p) = item
        && p.qself.is_none()
        && p.path.segments.len() == 1
        && types_module(client)?.iter().any(|i| match i {
            Item::Struct(s) => s.ident == p.path.segments[0].ident,
            Item::Enum(e) => e.ident == p.path.segments[0].ident,
            Item::Type(t) => t.ident == p.path.segments[0].ident,
            _ => false,
        })
    {
        return syn::parse2(quote! { types::#item }).ok();
    }
    Some(item.clone())
}
