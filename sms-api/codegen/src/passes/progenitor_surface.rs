//! Keeps progenitor's traits and reqwest's types off the public `Client`. progenitor-client and
//! reqwest are both before 1.0: an impl of their traits on the public type, or a constructor
//! that takes a `reqwest::Client`, would make every upgrade of either a breaking release of
//! sms-api. So:
//! - the client's `pub use progenitor_client::{..}` becomes `pub(crate) use`;
//! - `impl ClientInfo<S> for Client` becomes an inherent `impl Client` of its functions,
//!   crate-visible (the builders call `Client::api_version()`, which finds the inherent one),
//!   but `baseurl()`, which nothing calls;
//! - the `const _` asserting `Client: ClientHooks<S>` goes: the builders call the client's own
//!   `pre_in` and `exec_in` (`passes::call_record`), never progenitor's hooks;
//! - `Client::new` (which unwraps reqwest's builder) goes, and `new_with_client` becomes
//!   crate-visible: clients are built by `Client::builder()`.

use syn::{ImplItem, Item, Visibility, parse_quote};

/// Applies the four rewrites; returns how many places changed (4 on progenitor's output).
pub fn apply(client: &mut syn::File) -> usize {
    let mut changed = 0;
    client.items.retain(|item| {
        let asserts_hooks = matches!(item, Item::Const(c)
            if c.ident == "_" && quote::quote!(#c).to_string().contains("ClientHooks"));
        changed += usize::from(asserts_hooks);
        !asserts_hooks
    });
    for item in &mut client.items {
        changed += match item {
            Item::Use(u) if is_progenitor_reexport(u) => {
                u.vis = parse_quote!(pub(crate));
                1
            }
            Item::Impl(block) if is_client_info(block) => {
                block.trait_ = None;
                // The builders read the `baseurl` field itself; nothing calls the function.
                crate_visible_without(block, "baseurl");
                1
            }
            Item::Impl(block) if block.trait_.is_none() && has_fn(block, "new_with_client") => {
                crate_visible_without(block, "new");
                for member in &mut block.items {
                    if let ImplItem::Fn(f) = member {
                        f.attrs.retain(|a| !a.path().is_ident("doc"));
                        f.attrs.push(parse_quote!(
                            #[doc = "The client, around the HTTP client `Client::builder()` made."]
                        ));
                    }
                }
                1
            }
            _ => 0,
        };
    }
    changed
}

fn is_progenitor_reexport(u: &syn::ItemUse) -> bool {
    matches!(u.vis, Visibility::Public(_))
        && matches!(&u.tree, syn::UseTree::Path(p) if p.ident == "progenitor_client")
}

fn is_client_info(block: &syn::ItemImpl) -> bool {
    block.trait_.as_ref().is_some_and(|(_, path, _)| {
        path.segments
            .last()
            .is_some_and(|s| s.ident == "ClientInfo")
    })
}

fn has_fn(block: &syn::ItemImpl, name: &str) -> bool {
    block
        .items
        .iter()
        .any(|member| matches!(member, ImplItem::Fn(f) if f.sig.ident == name))
}

/// Drops the function `dropped` from `block`, and makes the others crate-visible.
fn crate_visible_without(block: &mut syn::ItemImpl, dropped: &str) {
    block
        .items
        .retain(|member| !matches!(member, ImplItem::Fn(f) if f.sig.ident == dropped));
    for member in &mut block.items {
        if let ImplItem::Fn(f) = member {
            f.vis = parse_quote!(pub(crate));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn progenitors_traits_and_constructors_leave_the_public_client() {
        let mut file: syn::File = parse_quote! {
            pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
            use progenitor_client::{encode_path, ClientHooks};
            pub struct Client { pub(crate) client: reqwest::Client }
            impl Client {
                pub fn new(baseurl: &str) -> Self { todo!() }
                /// Construct a new client with an existing `reqwest::Client`.
                pub fn new_with_client(baseurl: &str, client: reqwest::Client) -> Self { todo!() }
            }
            impl ClientInfo<()> for Client {
                fn api_version() -> &'static str { "v3" }
                fn baseurl(&self) -> &str { "" }
                fn client(&self) -> &reqwest::Client { &self.client }
            }
            const _: () = {
                fn assert_client_hooks() where Client: ClientHooks<()> {}
            };
        };
        assert_eq!(apply(&mut file), 4);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("pub (crate) use progenitor_client :: { ByteStream"),
            "{text}"
        );
        assert!(!text.contains("ClientInfo < () > for"), "{text}");
        assert!(text.contains("pub (crate) fn api_version"), "{text}");
        assert!(text.contains("pub (crate) fn client (& self)"), "{text}");
        assert!(!text.contains("fn baseurl"), "{text}");
        assert!(!text.contains("assert_client_hooks"), "{text}");
        assert!(!text.contains("fn new ("), "{text}");
        assert!(text.contains("pub (crate) fn new_with_client"), "{text}");
    }
}
