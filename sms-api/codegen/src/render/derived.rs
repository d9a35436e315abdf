//! `derived.rs`: the methods the spec says to derive from response fields (`model/derived.rs`):
//! a string field decoded as the JSON it holds, and the element of a list under way.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::derived::{Derived, Kind};

/// One `impl` block per derived method, on the generated struct.
pub fn render(derived: &[Derived]) -> TokenStream {
    let impls = derived.iter().map(|d| {
        let schema = format_ident!("{}", d.schema);
        let field = format_ident!("{}", d.property);
        let method = format_ident!("{}", d.method);
        let example = format!(
            "\n\n```\nlet value = sms_api::types::{}::default();\nassert!(value.{}().is_none());\n```",
            d.schema, d.method
        );
        match &d.kind {
            Kind::JsonText { schema: target } => {
                let target = format_ident!("{target}");
                let doc = format!(
                    "`{}` ({}), decoded as the JSON it holds, a [`{target}`](crate::types::{target}): \
                     `None` when it is absent or empty, `Some(Err(text))` with the text as received \
                     when it is not that JSON. Declared in the spec (`x-json-text`).{example}",
                    d.property,
                    d.description.trim_end_matches('.')
                );
                quote! {
                    impl types::#schema {
                        #[doc = #doc]
                        pub fn #method(&self) -> ::std::option::Option<::std::result::Result<types::#target, &str>> {
                            crate::types::json_text(self.#field.as_deref())
                        }
                    }
                }
            }
            Kind::CurrentElement {
                element,
                progress,
                done,
            } => {
                let element = format_ident!("{element}");
                let progress = format_ident!("{progress}");
                let doc = format!(
                    "The element of `{}` ({}) under way: the first whose `{progress}` is below \
                     {done}. For a task, the subtask running now, or the one it failed or was \
                     stopped at; `None` when every one is done (or none has started). Declared in \
                     the spec (`x-current-element`).{example}",
                    d.property,
                    d.description.trim_end_matches('.')
                );
                quote! {
                    impl types::#schema {
                        #[doc = #doc]
                        pub fn #method(&self) -> ::std::option::Option<&types::#element> {
                            self.#field
                                .as_deref()?
                                .iter()
                                .find(|e| e.#progress.is_some_and(|p| i64::from(p) < #done))
                        }
                    }
                }
            }
        }
    });
    quote! { #(#impls)* }
}
