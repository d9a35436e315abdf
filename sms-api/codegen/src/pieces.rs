//! A generated file cut into one piece per type, builder and client method, so that the tests
//! pin each in a snapshot of its own: a spec change then shows, in a reviewer's `git diff`, the
//! pieces it changed and no others (one snapshot of the whole client moved thousands of lines
//! for one added operation).

use std::collections::BTreeMap;

use syn::{ImplItem, Item};

/// The pieces of `source` (a generated Rust file) by name, each pretty-printed: an item of a
/// module is named by its module path and the type it is about (`types__TaskState`: the
/// struct or enum with its impls; `builder__ListTasks`), each function of `Client`'s
/// inherent impls on its own (`Client__list_tasks`), and what names no type (imports, macro
/// calls) under `_module` of its module.
///
/// ```
/// let pieces = sms_api_codegen::pieces::split(
///     "pub mod types { pub struct A; impl A { pub fn a() {} } pub struct B; }",
/// )
/// .unwrap();
/// let names: Vec<&str> = pieces.iter().map(|(name, _)| name.as_str()).collect();
/// assert_eq!(names, ["types__A", "types__B"]);
/// assert!(pieces[0].1.contains("impl A"));
/// ```
pub fn split(source: &str) -> Result<Vec<(String, String)>, syn::Error> {
    let file: syn::File = syn::parse_str(source)?;
    let mut groups: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    collect("", file.items, &mut groups);
    Ok(groups
        .into_iter()
        .map(|(name, items)| {
            let text = prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: Vec::new(),
                items,
            });
            (name, text)
        })
        .collect())
}

/// Sorts `items` of the module at `path` into `groups`.
fn collect(path: &str, items: Vec<Item>, groups: &mut BTreeMap<String, Vec<Item>>) {
    for item in items {
        match item {
            Item::Mod(syn::ItemMod {
                ident,
                content: Some((_, content)),
                ..
            }) => collect(&format!("{path}{ident}__"), content, groups),
            Item::Impl(block) if block.trait_.is_none() && is_named(&block.self_ty, "Client") => {
                for member in &block.items {
                    let ImplItem::Fn(function) = member else {
                        continue;
                    };
                    let mut single = block.clone();
                    single.items = vec![member.clone()];
                    let name = format!("{path}Client__{}", function.sig.ident);
                    groups.entry(name).or_default().push(Item::Impl(single));
                }
            }
            item => {
                let name = format!("{path}{}", subject(&item));
                groups.entry(name).or_default().push(item);
            }
        }
    }
}

/// The type an item is about: its own name, or an impl's self type; `_module` for the rest.
fn subject(item: &Item) -> String {
    let ident = match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Type(t) => Some(t.ident.to_string()),
        Item::Trait(t) => Some(t.ident.to_string()),
        Item::Fn(f) => Some(f.sig.ident.to_string()),
        Item::Const(c) if c.ident != "_" => Some(c.ident.to_string()),
        Item::Static(s) => Some(s.ident.to_string()),
        Item::Impl(block) => last_segment(&block.self_ty),
        _ => None,
    };
    ident.unwrap_or_else(|| "_module".to_owned())
}

fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(reference) => last_segment(&reference.elem),
        _ => None,
    }
}

fn is_named(ty: &syn::Type, name: &str) -> bool {
    last_segment(ty).is_some_and(|n| n == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_method_and_each_type_with_its_impls_is_a_piece() {
        let pieces = split(
            "use x::Y;
             pub struct Client;
             impl Client { pub fn list_tasks(&self) {} pub fn show_task(&self) {} }
             impl ClientInfo for Client { fn inner(&self) {} }
             pub mod builder {
                 pub struct ListTasks;
                 impl ListTasks { pub fn send_in(self) {} }
                 impl<'a> From<&'a str> for ListTasks { fn from(_: &str) -> Self { ListTasks } }
             }
             const _: () = {};",
        )
        .unwrap();
        let names: Vec<&str> = pieces.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Client",
                "Client__list_tasks",
                "Client__show_task",
                "_module",
                "builder__ListTasks"
            ]
        );
        let client = &pieces[0].1;
        assert!(
            client.contains("pub struct Client") && client.contains("impl ClientInfo for Client")
        );
        let builder = &pieces[4].1;
        assert!(builder.contains("send_in") && builder.contains("impl<'a> From<&'a str>"));
        assert!(split("fn (").is_err());
    }
}
