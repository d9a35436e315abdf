//! Length-limited string parameters as plain `String`s. typify makes a newtype of each
//! (`ListTasksName`) whose conversion checks the length in the builder, where the value is
//! dropped: a 300-character name would only say "longer than 255 characters". As plain
//! strings, every parameter bound is checked in one place, the `pre` hook
//! (`src/send/bounds.rs`), with one message that names the parameter, its bounds and what was
//! given.

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{Item, Type, parse_quote};

/// Replaces the newtypes named `newtypes` by `::std::string::String` in the builders, and
/// removes them and their impls from the `types` module; how many places changed.
pub fn plain(client: &mut syn::File, newtypes: &[String]) -> usize {
    let mut replace = Replace {
        newtypes,
        with: parse_quote!(::std::string::String),
        replaced: 0,
    };
    let mut removed = 0;
    for item in &mut client.items {
        let Item::Mod(module) = item else { continue };
        let Some((_, items)) = &mut module.content else {
            continue;
        };
        if module.ident == "types" {
            let before = items.len();
            items.retain(|item| !mentions(item, newtypes));
            removed += before - items.len();
        } else if module.ident == "builder" {
            for item in items {
                replace.visit_item_mut(item);
            }
        }
    }
    removed + replace.replaced
}

/// Replaces the newtypes by `str` in the typed mocks (`when.name("web")` then matches a plain
/// `&str`); how many places changed.
pub fn plain_in_mock(mock: &mut syn::File, newtypes: &[String]) -> usize {
    let mut replace = Replace {
        newtypes,
        with: parse_quote!(str),
        replaced: 0,
    };
    replace.visit_file_mut(mock);
    replace.replaced
}

/// Whether `item` defines or implements something for one of `newtypes`.
fn mentions(item: &Item, newtypes: &[String]) -> bool {
    let name = match item {
        Item::Struct(s) => return newtypes.iter().any(|n| s.ident == n),
        Item::Impl(block) => block.to_token_stream().to_string(),
        _ => return false,
    };
    name.split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|word| newtypes.iter().any(|n| n == word))
}

struct Replace<'a> {
    newtypes: &'a [String],
    with: Type,
    replaced: usize,
}

impl VisitMut for Replace<'_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(path) = ty
            && let Some(last) = path.path.segments.last()
            && self.newtypes.iter().any(|n| last.ident == n)
            && path.path.segments.len() <= 2
        {
            *ty = self.with.clone();
            self.replaced += 1;
            return;
        }
        visit_mut::visit_type_mut(self, ty);
    }
}
