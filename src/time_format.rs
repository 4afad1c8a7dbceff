//! Times as the page shows them: RFC 3339 parsing, elapsed durations and log
//! timestamps. Pure; the browser only supplies "now".

/// Milliseconds since the Unix epoch of an RFC 3339 time such as
/// `2026-11-23T10:15:01.120Z` or `2026-11-23T11:15:01+01:00`.
pub fn parse_rfc3339_ms(text: &str) -> Option<f64> {
    let (wall_ms, offset_minutes) = parse_rfc3339(text)?;
    Some(wall_ms - offset_minutes as f64 * 60_000.0)
}

/// The wall-clock time an RFC 3339 time was written in, as milliseconds
/// since 1970-01-01 of that clock (its offset not applied): what a reader
/// of the text sees. `2026-11-23T11:15:01+01:00` reads 11:15:01.
pub fn parse_rfc3339_wall_ms(text: &str) -> Option<f64> {
    parse_rfc3339(text).map(|(wall_ms, _)| wall_ms)
}

/// `10:15:01.120`: the time of day of a wall-clock reading in ms.
pub fn time_of_day(wall_ms: i64) -> String {
    let ms_of_day = wall_ms.rem_euclid(86_400_000);
    let (hours, minutes) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60);
    let (seconds, millis) = (ms_of_day / 1000 % 60, ms_of_day % 1000);
    format!("{hours:02}:{minutes:02}:{seconds:02}.{millis:03}")
}

/// `2026-11-25 10:15:01.120`: a wall-clock reading in ms, with its date.
pub fn date_time(wall_ms: i64) -> String {
    let days = wall_ms.div_euclid(86_400_000);
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {}", time_of_day(wall_ms))
}

/// `+0:12.345`, `+1:02:03.456`: time since the job's first line.
pub fn elapsed_stamp(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "+" };
    let ms = ms.unsigned_abs();
    let (hours, minutes, seconds, millis) =
        (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if hours > 0 {
        format!("{sign}{hours}:{minutes:02}:{seconds:02}.{millis:03}")
    } else {
        format!("{sign}{minutes}:{seconds:02}.{millis:03}")
    }
}

/// The wall-clock reading (ms) and offset (minutes) of an RFC 3339 time.
fn parse_rfc3339(text: &str) -> Option<(f64, i64)> {
    let b = text.trim().as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text.trim()[19..];
    let mut millis = 0.0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        // Up to nanoseconds, without allocating (this runs for every log line).
        let kept = &fraction.as_bytes()[..digits.min(9)];
        let value = kept.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
        millis = value as f64 * 1000.0 / 10f64.powi(kept.len() as i32);
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.is_ascii() && rest.as_bytes()[3] == b':' => {
            let sign = match &rest[..1] {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let hours: i64 = rest[1..3].parse().ok()?;
            let minutes: i64 = rest[4..6].parse().ok()?;
            sign * (hours * 60 + minutes)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    Some((seconds as f64 * 1000.0 + millis, offset_minutes))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `0:07`, `12:05`, `1:02:03`: a duration for people. Negative durations
/// (clock skew) show as `0:00`.
pub fn format_elapsed(ms: f64) -> String {
    let total = if ms.is_finite() && ms > 0.0 {
        (ms / 1000.0) as u64
    } else {
        0
    };
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// Whole seconds from now until `at_ms`, never below zero (for countdowns).
pub fn seconds_until(at_ms: f64, now_ms: f64) -> u64 {
    let left = (at_ms - now_ms) / 1000.0;
    if left.is_finite() && left > 0.0 {
        left.ceil() as u64
    } else {
        0
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn dates_and_elapsed_stamps() {
        let wall = |t: &str| parse_rfc3339_wall_ms(t).unwrap() as i64;
        assert_eq!(
            date_time(wall("2026-11-25T10:15:01.120Z")),
            "2026-11-25 10:15:01.120"
        );
        assert_eq!(
            date_time(wall("2024-02-29T23:59:59.999+05:00")),
            "2024-02-29 23:59:59.999"
        );
        assert_eq!(
            date_time(wall("1969-12-31T00:00:00Z")),
            "1969-12-31 00:00:00.000"
        );
        assert_eq!(date_time(0), "1970-01-01 00:00:00.000");
        assert_eq!(elapsed_stamp(12_345), "+0:12.345");
        assert_eq!(elapsed_stamp(3_723_456), "+1:02:03.456");
        assert_eq!(elapsed_stamp(-1_500), "-0:01.500");
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rfc3339_times_parse_to_epoch_milliseconds() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(
            parse_rfc3339_ms("2026-11-23T10:15:01.120Z"),
            Some(1_795_428_901_120.0)
        );
        assert_eq!(
            parse_rfc3339_ms("2026-11-23T11:15:01.120+01:00"),
            Some(1_795_428_901_120.0)
        );
        assert_eq!(
            parse_rfc3339_ms("2000-02-29T00:00:00Z"),
            Some(951_782_400_000.0)
        );
    }

    #[test]
    fn junk_times_are_refused_without_panicking() {
        for junk in [
            "",
            "yesterday",
            "2026-11-23",
            "2026-13-01T00:00:00Z",
            "2026-11-23T10:15:01",
            "2026-11-23T10:15:01.Z",
            "２０２６-11-23T10:15:01Z",
            "2026-11-23T10:15:01+1:00",
        ] {
            assert_eq!(parse_rfc3339_ms(junk), None, "{junk}");
        }
    }

    #[test]
    fn durations_read_like_a_stopwatch() {
        assert_eq!(format_elapsed(7_900.0), "0:07");
        assert_eq!(format_elapsed(725_000.0), "12:05");
        assert_eq!(format_elapsed(3_723_000.0), "1:02:03");
        assert_eq!(format_elapsed(-5.0), "0:00");
        assert_eq!(format_elapsed(f64::NAN), "0:00");
    }

    #[test]
    fn log_times_show_the_time_of_day_as_written() {
        let shown = |ts: &str| parse_rfc3339_wall_ms(ts).map(|ms| time_of_day(ms as i64));
        assert_eq!(
            shown("2026-11-23T10:15:01.120Z").as_deref(),
            Some("10:15:01.120")
        );
        assert_eq!(
            shown("2026-11-23T10:15:01Z").as_deref(),
            Some("10:15:01.000")
        );
        assert_eq!(
            shown("2026-11-23T10:15:01.123456-05:00").as_deref(),
            Some("10:15:01.123")
        );
        assert_eq!(shown("soon"), None);
        assert_eq!(shown(""), None);
    }

    #[test]
    fn wall_clock_readings_keep_the_offset_they_were_written_in() {
        let wall = parse_rfc3339_wall_ms("2026-11-23T11:15:01.120+01:00").unwrap();
        assert_eq!(time_of_day(wall as i64), "11:15:01.120");
        assert_eq!(
            parse_rfc3339_ms("2026-11-23T11:15:01.120+01:00"),
            Some(wall - 3_600_000.0)
        );
        assert_eq!(time_of_day(0), "00:00:00.000");
        assert_eq!(time_of_day(-1), "23:59:59.999");
    }

    #[test]
    fn countdowns_round_up_and_stop_at_zero() {
        assert_eq!(seconds_until(8_000.0, 0.0), 8);
        assert_eq!(seconds_until(7_001.0, 0.0), 8);
        assert_eq!(seconds_until(0.0, 10.0), 0);
    }

    proptest! {
        #[test]
        fn any_text_is_parsed_or_refused_without_panicking(text in ".{0,40}") {
            let _ = parse_rfc3339_ms(&text);
            let _ = parse_rfc3339_wall_ms(&text);
        }

        #[test]
        fn timestamp_shaped_junk_never_panics(text in "[0-9]{0,6}-?[0-9]{0,3}-?[0-9]{0,3}[T ]?[0-9]{0,3}:?[0-9]{0,3}:?[0-9]{0,3}(\\.[0-9]{0,12})?(Z|[+-][0-9]{0,3}:?[0-9]{0,3})?") {
            if let Some(ms) = parse_rfc3339_ms(&text) {
                prop_assert!(ms.is_finite());
            }
            let _ = parse_rfc3339_wall_ms(&text);
        }

        #[test]
        fn any_number_formats_without_panicking(
            a in proptest::num::f64::ANY,
            b in proptest::num::f64::ANY,
        ) {
            let _ = format_elapsed(a);
            let _ = seconds_until(a, b);
        }

        #[test]
        fn dates_agree_with_httpdate_and_read_back(secs in 0i64..4_102_444_800, millis in 0i64..1000) {
            let ms = secs * 1000 + millis;
            let shown = date_time(ms);
            // What we show reads back as the same instant.
            let text = format!("{}Z", shown.replacen(' ', "T", 1));
            prop_assert_eq!(parse_rfc3339_ms(&text), Some(ms as f64));
            // The calendar against a reference nobody here wrote: `httpdate`
            // (hyper's), "Wed, 02 Dec 2026 18:30:00 GMT".
            const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs as u64);
            let http = httpdate::fmt_http_date(at);
            let parts: Vec<&str> = http.split(' ').collect();
            let month = MONTHS.iter().position(|m| *m == parts[2]).map(|i| i + 1);
            prop_assert!(month.is_some(), "{}", http);
            let reference = format!("{}-{:02}-{} {}", parts[3], month.unwrap_or(0), parts[1], parts[4]);
            prop_assert_eq!(&shown[..19], reference.as_str());
        }
    }
}
