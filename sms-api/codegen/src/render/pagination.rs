//! `pagination.rs`: each operation the spec marks `x-pagination` (`model/pagination.rs`) as a
//! `crate::paging::Paginated`, its fields found in progenitor's response type.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use syn::Type;

use super::operations::Operation;
use crate::model::Model;
use crate::model::pagination::{self as declared, Field as FieldKind};
use crate::syntax::{Field, field, item_type, response_struct};

/// One paginated operation.
pub struct Pagination<'a> {
    operation: &'a Operation,
    max_page_size: i64,
    max_offset: i64,
    limit: syn::Ident,
    offset: syn::Ident,
    count: Field,
    items: Field,
    item: Type,
}

/// Every operation with `x-pagination`, checked against its parameters and response type.
pub fn collect<'a>(
    model: &Model,
    client: &syn::File,
    operations: &'a [Operation],
) -> Result<Vec<Pagination<'a>>, String> {
    let mut found = Vec::new();
    for op in &model.operations {
        let Some(declared) = &op.pagination else {
            continue;
        };
        let at = format!("{}/x-pagination", op.pointer);
        let id = op.id.as_str();
        let operation = operations
            .iter()
            .find(|o| o.operation_id == id)
            .ok_or_else(|| format!("{at}: progenitor generated no builder for `{id}`"))?;
        let limits = op
            .page_limits
            .ok_or_else(|| format!("{at}: the model read no page limits"))?;
        let response = response_struct(client, &operation.response)
            .ok_or_else(|| format!("{at}: the success response of `{id}` is not an object type"))?;
        let count = field(response, &declared.count);
        let items = field(response, &declared.items);
        let item = items.as_ref().and_then(|(_, ty)| item_type(client, ty));
        let kind_of = |ty: &Type, is_array: bool| {
            let text = ty.to_token_stream().to_string();
            if is_array {
                FieldKind::Array
            } else if ["i64", "i32", "u64", "u32"]
                .iter()
                .any(|t| text.contains(t))
            {
                FieldKind::Integer
            } else {
                FieldKind::Other
            }
        };
        let problems = declared::fields(
            declared,
            count.as_ref().map(|(_, ty)| kind_of(ty, false)),
            items.as_ref().map(|(_, ty)| kind_of(ty, item.is_some())),
        );
        if let Some((problem, fix)) = problems.into_iter().next() {
            return Err(format!("{at}: {problem}: {fix}"));
        }
        let (Some(count), Some(items), Some(item)) = (count, items, item) else {
            return Err(format!("{at}: the count or items field is missing"));
        };
        found.push(Pagination {
            operation,
            max_page_size: limits.max_page_size,
            max_offset: limits.max_offset,
            limit: format_ident!("{}", declared.limit),
            offset: format_ident!("{}", declared.offset),
            count: count.0,
            items: items.0,
            item,
        });
    }
    Ok(found)
}

/// `impl crate::paging::Paginated` for each paginated builder, to be included beside
/// `client.rs`.
pub fn render(paginated: &[Pagination<'_>]) -> TokenStream {
    let impls = paginated.iter().map(|p| {
        let Operation {
            generics,
            self_ty,
            operation_id,
            ..
        } = p.operation;
        let (max_page_size, max_offset) = (p.max_page_size, p.max_offset);
        let (limit, offset, item) = (&p.limit, &p.offset, &p.item);
        let count = &p.count.ident;
        let items = &p.items.ident;
        let count_of = if p.count.optional {
            quote! { page.#count.and_then(|c| i64::try_from(c).ok()) }
        } else {
            quote! { i64::try_from(page.#count).ok() }
        };
        let wrap_items = if p.items.optional {
            quote! { Some(items) }
        } else {
            quote! { items }
        };
        let (len, into_items) = if p.items.optional {
            (
                quote! { page.#items.as_ref().map_or(0, Vec::len) },
                quote! { page.#items.unwrap_or_default() },
            )
        } else {
            (quote! { page.#items.len() }, quote! { page.#items })
        };
        let (limit_name, offset_name) = (limit.to_string(), offset.to_string());
        let doc = format!(
            "`{operation_id}` pages with `{limit}` and `{offset}` (the spec's `x-pagination`)."
        );
        quote! {
            #[doc = #doc]
            impl #generics crate::paging::Paginated for builder::#self_ty {
                type Item = #item;
                const LIMIT: &'static str = #limit_name;
                const OFFSET: &'static str = #offset_name;
                const MAX_PAGE_SIZE: i64 = #max_page_size;
                const MAX_OFFSET: i64 = #max_offset;
                fn page(self, limit: i64, offset: i64) -> Self {
                    self.#limit(limit).#offset(offset)
                }
                fn count(page: &Self::Response) -> Option<i64> {
                    #count_of
                }
                fn len(page: &Self::Response) -> usize {
                    #len
                }
                fn items(page: Self::Response) -> Vec<Self::Item> {
                    #into_items
                }
                fn with_items(mut page: Self::Response, items: Vec<Self::Item>) -> Self::Response {
                    page.#items = #wrap_items;
                    page
                }
            }
        }
    });
    quote! { #(#impls)* }
}
