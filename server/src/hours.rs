//! Operating hours: timezone-aware open/closed and the current or next window.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use lcw_sdk::core::protocol::TimeWindow;

use crate::config::QueueConfig;

/// Errors in an hours rule.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum HoursError {
    /// Unknown IANA timezone.
    #[error("unknown timezone {0:?}")]
    Timezone(String),
    /// Bad `HH:MM`.
    #[error("bad time {0:?}, expected HH:MM")]
    Time(String),
    /// Bad weekday.
    #[error("bad weekday {0:?}, expected mon..sun")]
    Day(String),
}

/// Parsed schedule of a queue.
#[derive(Debug, Clone)]
pub struct Schedule {
    tz: Tz,
    rules: Vec<(Vec<Weekday>, u32, u32)>, // days, open minute, close minute
}

fn parse_minutes(s: &str) -> Result<u32, HoursError> {
    let (h, m) = s.split_once(':').ok_or_else(|| HoursError::Time(s.into()))?;
    let h: u32 = h.trim().parse().map_err(|_| HoursError::Time(s.into()))?;
    let m: u32 = m.trim().parse().map_err(|_| HoursError::Time(s.into()))?;
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return Err(HoursError::Time(s.into()));
    }
    Ok(h * 60 + m)
}

fn parse_day(s: &str) -> Result<Weekday, HoursError> {
    let d = s.trim().to_ascii_lowercase();
    Ok(match d.get(..3).unwrap_or("") {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return Err(HoursError::Day(s.into())),
    })
}

impl Schedule {
    /// Parses a queue's hours.
    pub fn parse(q: &QueueConfig) -> Result<Self, HoursError> {
        let tzname = if q.timezone.is_empty() { "UTC" } else { q.timezone.as_str() };
        let tz: Tz = tzname.parse().map_err(|_| HoursError::Timezone(tzname.into()))?;
        let mut rules = Vec::new();
        for r in &q.hours {
            let days = r.days.iter().map(|d| parse_day(d)).collect::<Result<Vec<_>, _>>()?;
            rules.push((days, parse_minutes(&r.open)?, parse_minutes(&r.close)?));
        }
        Ok(Schedule { tz, rules })
    }

    /// True when the queue has no hours (open 24/7).
    pub fn always_open(&self) -> bool {
        self.rules.is_empty()
    }

    fn local(&self, date: NaiveDate, minutes: u32) -> Option<DateTime<Utc>> {
        let (date, minutes) = if minutes >= 24 * 60 { (date.succ_opt()?, minutes - 24 * 60) } else { (date, minutes) };
        let t = NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0)?;
        let naive = date.and_time(t);
        let dt = self.tz.from_local_datetime(&naive).earliest().or_else(|| {
            // Inside a DST gap: the wall time does not exist, take one hour later.
            self.tz.from_local_datetime(&(naive + Duration::hours(1))).earliest()
        })?;
        Some(dt.with_timezone(&Utc))
    }

    /// Windows starting from yesterday through the next 8 days, merged.
    fn windows(&self, now: DateTime<Utc>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let today = now.with_timezone(&self.tz).date_naive();
        let mut out = Vec::new();
        for offset in -1..=8i64 {
            let Some(date) = today.checked_add_signed(Duration::days(offset)) else { continue };
            for (days, open, close) in &self.rules {
                if !days.contains(&date.weekday()) {
                    continue;
                }
                let close = if close <= open { close + 24 * 60 } else { *close };
                if let (Some(s), Some(e)) = (self.local(date, *open), self.local(date, close)) {
                    if e > s {
                        out.push((s, e));
                    }
                }
            }
        }
        out.sort();
        let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        for (s, e) in out {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        merged
    }

    /// Whether the queue is open at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.always_open() || self.windows(now).iter().any(|(s, e)| *s <= now && now < *e)
    }

    /// The window containing `now`, else the next one; `None` when always
    /// open or no window within the next week.
    pub fn current_or_next(&self, now: DateTime<Utc>) -> Option<TimeWindow> {
        if self.always_open() {
            return None;
        }
        self.windows(now)
            .into_iter()
            .find(|(_, e)| *e > now)
            .map(|(s, e)| TimeWindow { start: s.timestamp_millis(), end: e.timestamp_millis() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HoursRule;

    fn q(tz: &str, days: &[&str], open: &str, close: &str) -> Schedule {
        Schedule::parse(&QueueConfig {
            id: "q".into(),
            name: "q".into(),
            timezone: tz.into(),
            hours: vec![HoursRule { days: days.iter().map(|s| s.to_string()).collect(), open: open.into(), close: close.into() }],
        })
        .unwrap()
    }

    #[test]
    fn paris_office_hours() {
        let s = q("Europe/Paris", &["mon", "tue", "wed", "thu", "fri"], "09:00", "17:00");
        // Monday 2024-01-15 08:30 UTC = 09:30 Paris: open.
        let t = Utc.with_ymd_and_hms(2024, 1, 15, 8, 30, 0).unwrap();
        assert!(s.is_open(t));
        let w = s.current_or_next(t).unwrap();
        assert_eq!(w.start, Utc.with_ymd_and_hms(2024, 1, 15, 8, 0, 0).unwrap().timestamp_millis());
        // Saturday: closed; next window Monday 08:00 UTC.
        let sat = Utc.with_ymd_and_hms(2024, 1, 20, 12, 0, 0).unwrap();
        assert!(!s.is_open(sat));
        assert_eq!(s.current_or_next(sat).unwrap().start, Utc.with_ymd_and_hms(2024, 1, 22, 8, 0, 0).unwrap().timestamp_millis());
    }

    #[test]
    fn overnight_and_errors() {
        let s = q("UTC", &["fri"], "22:00", "02:00");
        assert!(s.is_open(Utc.with_ymd_and_hms(2024, 1, 20, 1, 0, 0).unwrap())); // Sat 01:00
        assert!(Schedule::parse(&QueueConfig { timezone: "Mars/Base".into(), ..Default::default() }).is_err());
        assert_eq!(parse_minutes("25:00"), Err(HoursError::Time("25:00".into())));
    }
}
