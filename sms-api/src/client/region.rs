//! The regions where SMS runs, from the spec's `servers`, and how an endpoint is chosen.

use std::fmt;

/// A region of the SMS service and its endpoint. The constants (`Region::CN_NORTH_4`...) and
/// [`Region::ALL`] are generated from the spec's `servers`.
///
/// ```
/// use sms_api::Region;
///
/// let region = Region::from_id("cn-north-4").unwrap();
/// assert_eq!(region, Region::CN_NORTH_4);
/// assert_eq!(region.endpoint(), "https://sms.cn-north-4.myhuaweicloud.com");
/// let error = Region::from_id("mars-1").unwrap_err();
/// assert!(error.to_string().contains("cn-north-4"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Region {
    pub(crate) id: &'static str,
    pub(crate) endpoint: &'static str,
}

impl Region {
    /// The region id, e.g. `cn-north-4`.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The region's SMS endpoint.
    pub fn endpoint(&self) -> &'static str {
        self.endpoint
    }

    /// The region with this id, or an error listing the known ones.
    pub fn from_id(id: &str) -> Result<Region, UnknownRegion> {
        Region::ALL
            .iter()
            .find(|r| r.id == id)
            .copied()
            .ok_or_else(|| UnknownRegion {
                region: id.to_owned(),
            })
    }

    /// The variable that overrides a region's endpoint, as the official SDKs read it:
    /// `HUAWEICLOUD_SDK_REGION_SMS_CN_NORTH_4` for `cn-north-4`.
    pub fn env_override_name(id: &str) -> String {
        format!(
            "HUAWEICLOUD_SDK_REGION_SMS_{}",
            id.to_ascii_uppercase().replace('-', "_")
        )
    }
}

/// The endpoint for region `id`: the first endpoint of its environment override (a
/// comma-separated list), else the spec's. Read through `env`.
pub(crate) fn endpoint_for(
    id: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<String, UnknownRegion> {
    let overridden = env(&Region::env_override_name(id)).and_then(|list| {
        list.split(',')
            .map(str::trim)
            .find(|e| !e.is_empty())
            .map(str::to_owned)
    });
    match overridden {
        Some(endpoint) => Ok(endpoint),
        None => Region::from_id(id).map(|r| r.endpoint.to_owned()),
    }
}

/// A region id that the spec does not list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRegion {
    /// The id as given.
    pub region: String,
}

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = Region::ALL.iter().map(|r| r.id).collect();
        write!(
            f,
            "unknown SMS region {:?}; known regions: {} (or set {} to its endpoint)",
            self.region,
            known.join(", "),
            Region::env_override_name(&self.region)
        )
    }
}

impl std::error::Error for UnknownRegion {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_overrides_a_region_endpoint() {
        let env = |name: &str| {
            (name == "HUAWEICLOUD_SDK_REGION_SMS_CN_NORTH_4")
                .then(|| " , https://a.example, https://b.example".to_owned())
        };
        assert_eq!(
            endpoint_for("cn-north-4", &env).unwrap(),
            "https://a.example"
        );
        assert_eq!(
            endpoint_for("ap-southeast-3", &env).unwrap(),
            "https://sms.ap-southeast-3.myhuaweicloud.com"
        );
        let custom = |name: &str| {
            (name == "HUAWEICLOUD_SDK_REGION_SMS_XX_NEW_1")
                .then(|| "https://new.example".to_owned())
        };
        assert_eq!(
            endpoint_for("xx-new-1", &custom).unwrap(),
            "https://new.example"
        );
    }

    #[test]
    fn an_unknown_region_lists_the_known_ones() {
        let error = endpoint_for("mars-1", &|_| None).unwrap_err().to_string();
        assert!(
            error.starts_with("unknown SMS region \"mars-1\"; known regions: "),
            "{error}"
        );
        assert!(!Region::ALL.is_empty());
        for region in Region::ALL {
            assert!(error.contains(region.id()), "{error}");
        }
        assert!(
            error.ends_with("(or set HUAWEICLOUD_SDK_REGION_SMS_MARS_1 to its endpoint)"),
            "{error}"
        );
    }
}
