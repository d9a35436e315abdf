//! Marks every generated struct with named fields `#[non_exhaustive]`, so that a field added to
//! the spec is a minor change for the crate (cargo-semver-checks rates a new public field of an
//! exhaustive struct as major: it breaks struct literals downstream). Outside the crate they are
//! built from `Default` (or decoded), and their fields read and assigned as before.

use syn::{Fields, Item, parse_quote};

use crate::syntax::module_items_mut;

/// Adds `#[non_exhaustive]` to the named-field structs of the client's `types` module; returns
/// how many it marked.
pub fn mark(client: &mut syn::File) -> usize {
    let mut marked = 0;
    if let Some(items) = module_items_mut(client, "types") {
        for item in items {
            if let Item::Struct(s) = item
                && matches!(s.fields, Fields::Named(_))
                && !s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
            {
                s.attrs.push(parse_quote!(#[non_exhaustive]));
                marked += 1;
            }
        }
    }
    marked
}
