//! Says in the crate's words that a required body field was never set. typify's builders start
//! each required field as `Err("no value supplied for <field>")`, and that text reached callers
//! through `fetch()`'s error; the runtime would have had to read meaning from a dependency's
//! message to say better. The message is ours from the start instead.

use syn::visit_mut::{self, VisitMut};
use syn::{Item, LitStr};

/// Rewrites the "no value supplied" messages of typify's builders (the `builder` module inside
/// `types`); returns how many it rewrote.
pub fn rewrite(client: &mut syn::File) -> usize {
    let Some(types) = crate::syntax::module_items_mut(client, "types") else {
        return 0;
    };
    let mut messages = Messages::default();
    for item in types {
        if let Item::Mod(builder) = item
            && builder.ident == "builder"
        {
            messages.visit_item_mod_mut(builder);
        }
    }
    messages.rewritten
}

#[derive(Default)]
struct Messages {
    rewritten: usize,
}

impl VisitMut for Messages {
    fn visit_lit_str_mut(&mut self, literal: &mut LitStr) {
        if let Some(field) = literal.value().strip_prefix("no value supplied for ") {
            *literal = LitStr::new(
                &format!("body field `{field}` is required and was not set"),
                literal.span(),
            );
            self.rewritten += 1;
        }
        visit_mut::visit_lit_str_mut(self, literal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn a_required_field_never_set_is_named_in_the_crates_words() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    impl Default for UpdateTaskStatusReq {
                        fn default() -> Self {
                            Self { operation: Err("no value supplied for operation".to_string()) }
                        }
                    }
                }
                pub fn unrelated() -> &'static str { "no value supplied for nothing" }
            }
        };
        assert_eq!(rewrite(&mut file), 1);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("\"body field `operation` is required and was not set\""),
            "{text}"
        );
        assert!(text.contains("\"no value supplied for nothing\""), "{text}");
    }
}
