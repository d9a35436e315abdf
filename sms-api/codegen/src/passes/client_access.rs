//! Gives every request builder a crate-visible accessor of the client it was made from, so that
//! the paginator and the waiters draw their jitter and retry budget from the client (one source
//! of time and chance per client). progenitor keeps the builder's `client` field private to the
//! `builder` module.

use syn::{FnArg, ImplItem, Item, Pat, parse_quote};

use crate::syntax::module_items_mut;

/// Adds `operation_client()` to every builder of the `builder` module (an impl with a
/// `new(client: ..)`); returns how many it added to.
pub fn add(client: &mut syn::File) -> usize {
    let mut added = 0;
    let Some(items) = module_items_mut(client, "builder") else {
        return 0;
    };
    for item in items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || !has_new_with_client(&block.items) {
            continue;
        }
        block.items.push(parse_quote! {
            /// The client this request goes through (for the crate's paginator and waiters).
            #[doc(hidden)]
            pub(crate) fn operation_client(&self) -> &super::Client {
                self.client
            }
        });
        added += 1;
    }
    added
}

fn has_new_with_client(items: &[ImplItem]) -> bool {
    items.iter().any(|item| match item {
        ImplItem::Fn(f) if f.sig.ident == "new" => f.sig.inputs.iter().any(|input| {
            matches!(input, FnArg::Typed(t) if matches!(&*t.pat, Pat::Ident(p) if p.ident == "client"))
        }),
        _ => false,
    })
}
