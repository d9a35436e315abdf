//! Collects the response examples of the spec into a table that the crate exposes, so that the
//! tests decode every documented example and the mock serves them, with no second copy.

use proc_macro2::TokenStream;
use quote::quote;

/// One documented response example.
pub struct Example {
    operation_id: String,
    status: u16,
    name: String,
    summary: String,
    json: String,
}

/// Every `examples` entry under every response of every operation, in document order.
pub fn collect(spec: &serde_json::Value) -> Result<Vec<Example>, String> {
    let mut found = Vec::new();
    let paths = spec
        .get("paths")
        .and_then(|p| p.as_object())
        .ok_or("no `paths` object")?;
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, operation) in item {
            let at = format!(
                "#/paths/{}/{method}",
                path.replace('~', "~0").replace('/', "~1")
            );
            let Some(responses) = operation.get("responses").and_then(|r| r.as_object()) else {
                continue;
            };
            let operation_id = operation
                .get("operationId")
                .and_then(|o| o.as_str())
                .ok_or_else(|| format!("{at}: no operationId"))?;
            for (status, response) in responses {
                let Some(media) = response.get("content").and_then(|c| c.as_object()) else {
                    continue;
                };
                for content in media.values() {
                    let Some(examples) = content.get("examples").and_then(|e| e.as_object()) else {
                        continue;
                    };
                    let status: u16 = status.parse().map_err(|_| {
                        format!("{at}/responses/{status}: examples need a numeric status")
                    })?;
                    for (name, example) in examples {
                        let value = example.get("value").ok_or_else(|| {
                            format!("{at}/responses/{status}/examples/{name}: no `value`")
                        })?;
                        found.push(Example {
                            operation_id: operation_id.to_owned(),
                            status,
                            name: name.clone(),
                            summary: example
                                .get("summary")
                                .and_then(|s| s.as_str())
                                .unwrap_or_default()
                                .to_owned(),
                            json: serde_json::to_string_pretty(value)
                                .map_err(|e| format!("example {name}: {e}"))?,
                        });
                    }
                }
            }
        }
    }
    Ok(found)
}

/// The table, as a `const` slice of `crate::types::DocumentedExample`.
pub fn render(examples: &[Example]) -> TokenStream {
    let rows = examples.iter().map(|e| {
        let Example {
            operation_id,
            status,
            name,
            summary,
            json,
        } = e;
        quote! {
            crate::types::DocumentedExample {
                operation_id: #operation_id,
                status: #status,
                name: #name,
                summary: #summary,
                json: #json,
            },
        }
    });
    quote! {
        /// Every response example documented in the spec, in document order.
        pub const DOCUMENTED_EXAMPLES: &[crate::types::DocumentedExample] = &[#(#rows)*];
    }
}
