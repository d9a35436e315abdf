//! Keeps the reason a builder setter's conversion failed. progenitor's setters drop it
//! (`.map_err(|_| "conversion to `T` for state failed".to_string())`), so a filter typo would
//! say only that a conversion failed; with the reason kept, `.state("MIGRATE_FAILED")` says
//! which value was refused and the documented one it is closest to (`send/outcome.rs`).

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprClosure, ImplItem, Item, Lit, Pat, parse_quote};

use crate::syntax::module_items_mut;

/// Rewrites every such setter of the `builder` module; returns how many it rewrote.
pub fn keep_conversion_errors(client: &mut syn::File) -> usize {
    let mut rewritten = 0;
    if let Some(items) = module_items_mut(client, "builder") {
        for item in items {
            let Item::Impl(block) = item else { continue };
            for member in &mut block.items {
                let ImplItem::Fn(setter) = member else {
                    continue;
                };
                let mut closures = DroppedReason::default();
                closures.visit_block_mut(&mut setter.block);
                if closures.rewritten == 0 {
                    continue;
                }
                // The value's conversion error must display: `V::Error: Display`.
                let Some(param) = setter
                    .sig
                    .generics
                    .type_params()
                    .next()
                    .map(|p| p.ident.clone())
                else {
                    continue;
                };
                setter
                    .sig
                    .generics
                    .make_where_clause()
                    .predicates
                    .push(parse_quote!(#param::Error: ::std::fmt::Display));
                rewritten += 1;
            }
        }
    }
    rewritten
}

/// Finds `|_| "conversion to ...".to_string()` and makes it `|e| e.to_string()`: the reason,
/// which progenitor dropped; the parameter is named by the call's record
/// (`passes::call_record`).
#[derive(Default)]
struct DroppedReason {
    rewritten: usize,
}

impl VisitMut for DroppedReason {
    fn visit_expr_closure_mut(&mut self, closure: &mut ExprClosure) {
        if drops_reason(closure) {
            *closure = parse_quote!(|e| ::std::string::ToString::to_string(&e));
            self.rewritten += 1;
            return;
        }
        visit_mut::visit_expr_closure_mut(self, closure);
    }
}

/// Whether `closure` is `|_| { "conversion to ...".to_string() }`.
fn drops_reason(closure: &ExprClosure) -> bool {
    if closure.inputs.len() != 1 || !matches!(closure.inputs[0], Pat::Wild(_)) {
        return false;
    }
    let mut body = &*closure.body;
    while let Expr::Block(block) = body {
        let [syn::Stmt::Expr(inner, None)] = &block.block.stmts[..] else {
            return false;
        };
        body = inner;
    }
    let Expr::MethodCall(call) = body else {
        return false;
    };
    let Expr::Lit(literal) = &*call.receiver else {
        return false;
    };
    let Lit::Str(text) = &literal.lit else {
        return false;
    };
    call.method == "to_string" && text.value().starts_with("conversion to ")
}
