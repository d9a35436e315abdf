//! A paginated operation as the fake serves it ([`Listing`]); what a request to one asks for,
//! read as the spec declares its query parameters (`QUERY_PARAMETERS`): the filters
//! (`x-filter-field`), the offset and the limit; and whether an item passes the filters,
//! compared as the service compares them.

use serde_json::{Value, json};

use super::answer::json;
use super::loopback::Request;
use crate::generated::query_parameters::QUERY_PARAMETERS;
use crate::send::bounds::{self, bounds_of};

/// A paginated operation of the spec, as the fake serves it (generated from `x-pagination`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Listing {
    pub(crate) operation_id: &'static str,
    pub(crate) limit: &'static str,
    pub(crate) offset: &'static str,
    pub(crate) count: &'static str,
    pub(crate) items: &'static str,
}

/// A listing request's filters (each a field's path and the value wanted), offset and limit.
#[derive(Debug)]
pub(crate) struct ListingQuery {
    pub(crate) filters: Vec<(&'static [&'static str], String)>,
    pub(crate) offset: usize,
    pub(crate) limit: usize,
}

impl ListingQuery {
    /// What `request` asks of `listing`, or the service's 400 `SMS.0007` answer: a parameter
    /// out of its bounds, one the spec does not declare, or one the fake cannot filter on.
    pub(crate) fn of(listing: &Listing, request: &Request) -> Result<ListingQuery, (u16, Vec<u8>)> {
        let operation_id = listing.operation_id;
        let invalid = |message: String| {
            json(
                400,
                &json!({"error_code": "SMS.0007", "error_msg": message}),
            )
        };
        if let Ok(url) = reqwest::Url::parse(&format!("http://fake{}", request.target))
            && let Err(violation) = bounds::check(operation_id, &url)
        {
            return Err(invalid(violation.to_string()));
        }
        let params = request.query_params();
        let mut filters = Vec::new();
        for (name, value) in &params {
            let declared = QUERY_PARAMETERS
                .iter()
                .find(|p| p.operation_id == operation_id && p.name == name);
            match declared.map(|p| p.role) {
                Some(ParameterRole::Paging) => {}
                Some(ParameterRole::Filter(field)) => filters.push((field, value.clone())),
                Some(ParameterRole::Undeclared) => {
                    return Err(invalid(format!(
                        "the fake service cannot filter on `{name}`: the spec gives it no x-filter-field"
                    )));
                }
                None => return Err(invalid(format!("unknown query parameter `{name}`"))),
            }
        }
        let number = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<usize>().ok())
                .or_else(|| {
                    bounds_of(operation_id, name)
                        .and_then(|b| b.default)
                        .map(|d| usize::try_from(d).unwrap_or(0))
                })
                .unwrap_or(0)
        };
        Ok(ListingQuery {
            offset: number(listing.offset),
            limit: number(listing.limit),
            filters,
        })
    }
}

/// Whether `item` has every filter's value at the filter's field, as the service compares them:
/// the field's JSON text (a string as it is, a number or boolean as written).
pub(crate) fn matches(item: &Value, filters: &[(&[&str], String)]) -> bool {
    filters.iter().all(|(field, wanted)| {
        let value = field.iter().try_fold(item, |value, name| value.get(name));
        match value {
            Some(Value::String(text)) => text == wanted,
            Some(Value::Number(n)) => n.to_string() == *wanted,
            Some(Value::Bool(b)) => b.to_string() == *wanted,
            _ => false,
        }
    })
}

/// What the fake does with a query parameter (generated from the spec: `codegen/src/model/query_parameters.rs`).
#[derive(Clone, Copy, Debug)]
pub(crate) enum ParameterRole {
    /// The limit or offset of `x-pagination`.
    Paging,
    /// Selects the items whose field at this path has the parameter's value.
    Filter(&'static [&'static str]),
    /// A parameter the spec gives no `x-filter-field` (a sort key, say): the fake cannot
    /// honour it, and says so. Built by the generated table when the spec has one (`cargo
    /// xtask validate` warns of it); the spec today has none.
    #[allow(dead_code)]
    Undeclared,
}

/// A query parameter of a paginated operation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct QueryParameter {
    pub(crate) operation_id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) role: ParameterRole,
}
