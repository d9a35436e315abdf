//! The regions of the spec: its `servers`, each tagged with `x-region-id`.

use serde_json::Value;

use super::region_ids;
use crate::document::Document;
use crate::problem::Problem;

/// One region: its id and its endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    /// `cn-north-4`
    pub id: String,
    /// `https://sms.cn-north-4.myhuaweicloud.com`, without a trailing `/`.
    pub endpoint: String,
}

/// Every server of the spec as a region, in document order (after [`check`] found no error).
pub fn collect(spec: &openapiv3::OpenAPI) -> Result<Vec<Region>, String> {
    let mut regions: Vec<Region> = Vec::new();
    for (index, server) in spec.servers.iter().enumerate() {
        let at = format!("#/servers/{index}");
        let id = server
            .extensions
            .get("x-region-id")
            .and_then(|v| v.as_str());
        let earlier: Vec<&str> = regions.iter().map(|known| known.id.as_str()).collect();
        if let Some(problem) = region_ids::problem(id, &earlier) {
            return Err(format!("{at}/x-region-id: {problem}"));
        }
        let id = id.unwrap_or_default();
        regions.push(Region {
            id: id.to_owned(),
            endpoint: server.url.trim_end_matches('/').to_owned(),
        });
    }
    Ok(regions)
}

/// Every server names its region with a distinct `x-region-id`, as the build script needs to
/// make the `Region` constants.
pub fn check(doc: &Document) -> Vec<Problem> {
    let mut findings = Vec::new();
    let servers = doc.raw.get("servers").and_then(Value::as_array);
    let mut earlier: Vec<&str> = Vec::new();
    for (index, server) in servers.into_iter().flatten().enumerate() {
        let id = server.get("x-region-id").and_then(Value::as_str);
        if let Some(problem) = region_ids::problem(id, &earlier) {
            findings.push(Problem::error(
                "region-id",
                &format!("#/servers/{index}"),
                problem,
                "give each server a distinct `x-region-id` such as `cn-north-4`",
            ));
        }
        earlier.extend(id);
    }
    findings
}
