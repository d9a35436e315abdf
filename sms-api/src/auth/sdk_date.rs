//! The `X-Sdk-Date` timestamp: UTC, `%Y%m%dT%H%M%SZ`.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::calendar::civil_from_days;

/// Formats `time` as `20240115T083000Z`. Times before 1970 are clamped to the epoch.
pub(crate) fn format(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::format;

    #[test]
    fn formats_utc_timestamps() {
        assert_eq!(format(UNIX_EPOCH), "19700101T000000Z");
        // 2024-01-15 08:30:00 UTC, the signing vectors' date.
        assert_eq!(
            format(UNIX_EPOCH + Duration::from_secs(1_705_307_400)),
            "20240115T083000Z"
        );
        // A leap day.
        assert_eq!(
            format(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "20000229T000000Z"
        );
        assert_eq!(
            format(UNIX_EPOCH - Duration::from_secs(5)),
            "19700101T000000Z"
        );
    }
}
