//! Replaces every request builder's `send()` with `send_in(call)`: progenitor's `send()`, with
//! the call's record (`sms_api::send::call_record::Call`) passed by reference to the client's
//! `pre_in` and `exec_in` in place of progenitor's hooks, so that what the checks and the
//! attempts meet reaches `fetch()` as values (no task-local). `send_in` is crate-visible:
//! progenitor's `send()` returned progenitor's `ResponseValue` and `Error`, whose types would
//! put progenitor (before 1.0) in the public API; callers send with `fetch()`. progenitor's
//! `post` hook, which the client does not use, is dropped: `exec_in` gives the error directly.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ImplItem, ImplItemFn, Item, Stmt, parse_quote};

use crate::syntax::module_items_mut;

/// Replaces progenitor's `send()` with `send_in` in every builder of the `builder` module;
/// returns how many builders it changed.
pub fn add(client: &mut syn::File) -> usize {
    let Some(items) = module_items_mut(client, "builder") else {
        return 0;
    };
    let mut changed = 0;
    for item in items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        let Some(position) = block.items.iter().position(|item| {
            matches!(item, ImplItem::Fn(f) if f.sig.ident == "send" && f.sig.asyncness.is_some())
        }) else {
            continue;
        };
        let ImplItem::Fn(send) = &block.items[position] else {
            continue;
        };
        let Some(send_in) = with_call(send) else {
            continue;
        };
        block.items[position] = ImplItem::Fn(send_in);
        changed += 1;
    }
    changed
}

/// `send` as `send_in(self, call)`, its hooks the client's own; `None` when its body does not
/// call progenitor's `pre` and `exec` hooks (another progenitor's output).
fn with_call(send: &ImplItemFn) -> Option<ImplItemFn> {
    let mut send_in = send.clone();
    send_in.sig.ident = parse_quote!(send_in);
    send_in
        .sig
        .inputs
        .push(parse_quote!(call: &crate::send::call_record::Call));
    send_in.vis = parse_quote!(pub(crate));
    send_in.attrs = vec![parse_quote!(
        #[doc = "`send()`, recording what the checks and the attempts meet in `call` (for `fetch()`)."]
    )];
    let mut hooks = Hooks::default();
    hooks.visit_block_mut(&mut send_in.block);
    send_in.block.stmts.retain(|stmt| !calls_post(stmt));
    for stmt in &mut send_in.block.stmts {
        record_refused_input(stmt);
    }
    (hooks.pre && hooks.exec).then_some(send_in)
}

/// `let x = x.map_err(Error::InvalidRequest)?;`, progenitor's check of a value its builder could
/// not convert, records which input it was in the call (`NotSent::Input`), so that `fetch()`
/// names the parameter without reading it back from text.
fn record_refused_input(stmt: &mut Stmt) {
    let Stmt::Local(local) = stmt else { return };
    let syn::Pat::Ident(name) = &local.pat else {
        return;
    };
    let input = name.ident.to_string();
    let Some(init) = &mut local.init else { return };
    let Expr::Try(attempt) = &mut *init.expr else {
        return;
    };
    let Expr::MethodCall(call) = &mut *attempt.expr else {
        return;
    };
    let refuses = call.method == "map_err"
        && matches!(call.args.first(), Some(Expr::Path(p))
            if p.path.segments.last().is_some_and(|s| s.ident == "InvalidRequest"));
    if refuses {
        call.args[0] = parse_quote!(|reason| call.refuse(
            crate::send::call_record::NotSent::Input { input: #input, reason }
        ));
    }
}

/// Renames `client.pre(..)` and `client.exec(..)` to the client's `pre_in` and `exec_in`,
/// passing `call`.
#[derive(Default)]
struct Hooks {
    pre: bool,
    exec: bool,
}

impl VisitMut for Hooks {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, call);
        if !is_client(&call.receiver) {
            return;
        }
        if call.method == "pre" {
            self.pre = true;
            call.method = parse_quote!(pre_in);
        } else if call.method == "exec" {
            self.exec = true;
            call.method = parse_quote!(exec_in);
        } else {
            return;
        }
        call.args.push(parse_quote!(call));
    }
}

fn is_client(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(p) if p.path.is_ident("client"))
}

/// `client.post(&result, &info).await?;`
fn calls_post(stmt: &Stmt) -> bool {
    let Stmt::Expr(expr, _) = stmt else {
        return false;
    };
    let mut expr = expr;
    loop {
        expr = match expr {
            Expr::Try(e) => &e.expr,
            Expr::Await(e) => &e.base,
            Expr::MethodCall(call) => return call.method == "post" && is_client(&call.receiver),
            _ => return false,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn send_becomes_a_crate_visible_send_in_through_the_clients_own_hooks() {
        let mut file: syn::File = parse_quote! {
            pub mod builder {
                impl<'a> ShowTask<'a> {
                    /// Sends a `GET` request.
                    pub async fn send(self) -> Result<ResponseValue<T>, Error<E>> {
                        let Self { client, limit } = self;
                        let limit = limit.map_err(Error::InvalidRequest)?;
                        let mut request = client.client.get(url).build()?;
                        let info = OperationInfo { operation_id: "show_task" };
                        client.pre(&mut request, &info).await?;
                        let result = client.exec(request, &info).await;
                        client.post(&result, &info).await?;
                        let response = result?;
                        Ok(response)
                    }
                }
            }
        };
        assert_eq!(add(&mut file), 1);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("client . pre_in (& mut request , & info , call)"),
            "{text}"
        );
        assert!(
            text.contains("client . exec_in (request , & info , call)"),
            "{text}"
        );
        assert!(!text.contains("client . post"), "{text}");
        assert!(
            text.contains("let limit = limit . map_err (| reason | call . refuse (crate :: send :: call_record :: NotSent :: Input { input : \"limit\" , reason })) ?"),
            "{text}"
        );
        assert!(
            text.contains("pub (crate) async fn send_in (self , call : & crate :: send :: call_record :: Call)"),
            "{text}"
        );
        assert!(
            !text.contains("async fn send (self)"),
            "no public send() with progenitor's types: {text}"
        );
    }

    #[test]
    fn a_send_without_progenitors_hooks_is_left_alone() {
        let mut file: syn::File = parse_quote! {
            pub mod builder {
                impl<'a> Other<'a> {
                    pub async fn send(self) -> Result<(), ()> { Ok(()) }
                }
            }
        };
        assert_eq!(add(&mut file), 0);
    }
}
