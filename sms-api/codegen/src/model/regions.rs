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

/// Every server of the spec as a region, in document order, and the problems of those that do
/// not name their region with a distinct `x-region-id` (which the `Region` constants need).
pub fn read(doc: &Document) -> (Vec<Region>, Vec<Problem>) {
    let mut regions: Vec<Region> = Vec::new();
    let mut findings = Vec::new();
    let servers = doc.raw.get("servers").and_then(Value::as_array);
    let mut earlier: Vec<&str> = Vec::new();
    for (index, server) in servers.into_iter().flatten().enumerate() {
        let id = server.get("x-region-id").and_then(Value::as_str);
        match region_ids::problem(id, &earlier) {
            Some(problem) => findings.push(Problem::error(
                "region-id",
                &format!("#/servers/{index}"),
                problem,
                "give each server a distinct `x-region-id` such as `cn-north-4`",
            )),
            None => regions.push(Region {
                id: id.unwrap_or_default().to_owned(),
                endpoint: server
                    .get("url")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .trim_end_matches('/')
                    .to_owned(),
            }),
        }
        earlier.extend(id);
    }
    (regions, findings)
}
