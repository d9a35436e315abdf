//! Conversions between days since the Unix epoch and civil dates (Howard Hinnant's algorithms),
//! for `X-Sdk-Date`, HTTP dates and the UTC times credential sources and the gateway send.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Why a date and time of day is not a time this system can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NotATime {
    /// A part is out of its range (month 13, hour 24...).
    PartOutOfRange,
    /// Before 1970, or past what `SystemTime` holds (a year in the billions, say).
    Unrepresentable,
}

impl std::fmt::Display for NotATime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NotATime::PartOutOfRange => "a part of it is out of its range",
            NotATime::Unrepresentable => {
                "it is before 1970 or past what this system's clock can hold"
            }
        })
    }
}

/// The most years either way that the day arithmetic takes: far past what any clock holds,
/// far below where it would overflow.
const MAX_YEARS: i64 = 1_000_000_000_000;

/// A UTC date and time of day as a time; every step checked, so that no value a server sends
/// can panic or wrap.
pub(crate) fn utc(
    (year, month, day): (i64, i64, i64),
    (hour, minute, second): (u64, u64, u64),
    nanos: u32,
) -> Result<SystemTime, NotATime> {
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
        || nanos >= 1_000_000_000
    {
        return Err(NotATime::PartOutOfRange);
    }
    if year.unsigned_abs() > MAX_YEARS.unsigned_abs() {
        return Err(NotATime::Unrepresentable);
    }
    let days =
        u64::try_from(days_from_civil(year, month, day)).map_err(|_| NotATime::Unrepresentable)?;
    days.checked_mul(86_400)
        .and_then(|secs| secs.checked_add(hour * 3600 + minute * 60 + second))
        .and_then(|secs| UNIX_EPOCH.checked_add(Duration::new(secs, nanos)))
        .ok_or(NotATime::Unrepresentable)
}

/// Days since 1970-01-01 to (year, month, day).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// (year, month 1-12, day 1-31) to days since 1970-01-01.
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_across_eras_and_leap_days() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
    }

    #[test]
    fn times_no_clock_holds_are_errors_not_panics() {
        let midnight = (0, 0, 0);
        assert_eq!(
            utc((1970, 1, 2), midnight, 5),
            Ok(UNIX_EPOCH + Duration::from_nanos(86_400_000_000_005))
        );
        for year in [300_000_000_000, i64::MAX, i64::MIN, 1969, -4000] {
            assert_eq!(
                utc((year, 1, 1), midnight, 0),
                Err(NotATime::Unrepresentable),
                "{year}"
            );
        }
        assert_eq!(
            utc((2026, 13, 1), midnight, 0),
            Err(NotATime::PartOutOfRange)
        );
        assert_eq!(
            utc((2026, 1, 1), (0, 0, 0), 1_000_000_000),
            Err(NotATime::PartOutOfRange)
        );
    }
}
