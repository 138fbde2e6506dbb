//! Unix seconds as UTC calendar text, for messages, backup file names and printed pages (no time-zone
//! database needed). The one place the core turns a time into a date.

/// `2026-11-22 22:45:01 UTC`.
pub fn format_utc(unix: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(unix);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC")
}

/// `2026-11-22`.
pub fn date_utc(unix: i64) -> String {
    let (y, mo, d, ..) = civil(unix);
    format!("{y:04}-{mo:02}-{d:02}")
}

/// `20261122-224501`: sorts like the time it names (for years 0 to 9999).
pub(crate) fn compact_utc(unix: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(unix);
    format!("{y:04}{mo:02}{d:02}-{h:02}{mi:02}{s:02}")
}

/// Year, month, day, hour, minute, second of a Unix time (proleptic Gregorian, Howard Hinnant's
/// `civil_from_days`).
fn civil(unix: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // Every value below is in range by construction (month 1..=12, day 1..=31, parts of a day).
    (y, m as u32, d as u32, (secs / 3600) as u32, (secs % 3600 / 60) as u32, (secs % 60) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_utc(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(format_utc(-1), "1969-12-31 23:59:59 UTC");
        assert_eq!(compact_utc(1_700_000_000), "20231114-221320");
        assert_eq!(date_utc(0), "1970-01-01");
        assert_eq!(date_utc(951_782_400), "2000-02-29");
        assert_eq!(date_utc(1_700_000_000), "2023-11-14");
        assert_eq!(date_utc(-86_400), "1969-12-31");
        // A hostile backup may name any time: extremes format without overflow.
        assert!(format_utc(i64::MAX).ends_with(" UTC"));
        assert!(format_utc(i64::MIN).ends_with(" UTC"));
    }
}
