//! Time: date windows and weekly schedules in named timezones. The timezone
//! database is the host's ([`TimeZoneDb`]: `Intl.DateTimeFormat` in the
//! browser), so none ships in the wasm.

use super::spec::Slot;

const MIN: i64 = 60_000;
const DAY: i64 = 86_400_000;
const WEEK_MIN: u32 = 7 * 1440;

/// Timezone offsets supplied by the host.
pub trait TimeZoneDb {
    /// The UTC offset in minutes (local = UTC + offset) of the IANA zone
    /// `zone` at the Unix instant `at_ms`, or an error for an unknown zone
    /// (reported as a config error of the rule). Offsets beyond ±24 h are
    /// clamped.
    fn utc_offset_minutes(&self, zone: &str, at_ms: i64) -> Result<i32, String>;
}

/// A [`TimeZoneDb`] that knows only `UTC` (and `Etc/UTC`, `GMT`).
#[derive(Debug, Default, Clone, Copy)]
pub struct UtcOnly;

impl TimeZoneDb for UtcOnly {
    fn utc_offset_minutes(&self, zone: &str, _at_ms: i64) -> Result<i32, String> {
        match zone {
            "UTC" | "Etc/UTC" | "GMT" => Ok(0),
            _ => Err("unknown timezone".into()),
        }
    }
}

/// Remembers the last offsets a [`TimeZoneDb`] gave, per zone and whole
/// second (no zone changes its offset within a second), so that the rules
/// of one evaluation, which ask about the same instants (now, the next slot
/// boundary), and the evaluations within the same second cost one host
/// call each. In the browser a host call is an `Intl.DateTimeFormat`
/// format, about 5 µs: 20 schedule rules took 0.3 ms per evaluation
/// without this (bench/engine.mjs). Errors are not remembered.
/// A remembered offset: zone, second, minutes.
type Offset = (String, i64, i32);

pub(crate) struct MemoTz {
    inner: Box<dyn TimeZoneDb>,
    /// `(zone, second, offset)`, the oldest overwritten first.
    seen: std::cell::RefCell<(Vec<Offset>, usize)>,
}

/// How many `(zone, second)` offsets [`MemoTz`] keeps.
const MEMO: usize = 16;

impl MemoTz {
    pub(crate) fn new(inner: Box<dyn TimeZoneDb>) -> MemoTz {
        MemoTz { inner, seen: Default::default() }
    }
}

impl TimeZoneDb for MemoTz {
    fn utc_offset_minutes(&self, zone: &str, at_ms: i64) -> Result<i32, String> {
        let second = at_ms.div_euclid(1000);
        if let Some(&(_, _, off)) = self.seen.borrow().0.iter().find(|(z, s, _)| *s == second && super::matchers::same_text(z, zone)) {
            return Ok(off);
        }
        let off = self.inner.utc_offset_minutes(zone, at_ms)?;
        let mut seen = self.seen.borrow_mut();
        let (list, next) = &mut *seen;
        if list.len() < MEMO {
            list.push((zone.to_string(), second, off));
        } else {
            list[*next] = (zone.to_string(), second, off);
            *next = (*next + 1) % MEMO;
        }
        Ok(off)
    }
}

fn offset_ms(tz: &dyn TimeZoneDb, zone: &str, at: i64) -> Result<i64, String> {
    let off = tz.utc_offset_minutes(zone, at).map_err(|e| {
        let mut s = String::from("timezone `");
        s.push_str(zone);
        s.push_str("`: ");
        s.push_str(&e);
        s
    })?;
    Ok(i64::from(off.clamp(-1440, 1440)) * MIN)
}

/// Converts a local wall-clock instant (ms, as if UTC) in `zone` to UTC.
/// Two passes, so the offset in force at the target instant is used.
pub(crate) fn local_to_utc(local: i64, zone: &str, tz: &dyn TimeZoneDb) -> Result<i64, String> {
    let guess = local.saturating_sub(offset_ms(tz, zone, local)?);
    Ok(local.saturating_sub(offset_ms(tz, zone, guess)?))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn month_len(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn num(s: &str, lo: u32, hi: u32) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 4 {
        return None;
    }
    s.parse().ok().filter(|n| (lo..=hi).contains(n))
}

/// Parses `HH:MM` (00:00 to 24:00) into minutes.
fn hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    let (h, m) = (num(h, 0, 24)?, num(m, 0, 59)?);
    (h < 24 || m == 0).then_some(h * 60 + m)
}

/// Parses a window bound into a UTC instant. `end_of_day` makes a date-only
/// value mean the following midnight (so `end` includes that day).
pub(crate) fn parse_instant(
    s: &str,
    zone: &str,
    tz: &dyn TimeZoneDb,
    end_of_day: bool,
) -> Result<i64, String> {
    let bad = || {
        let mut e = String::from("bad date `");
        e.push_str(s);
        e.push_str("` (want YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])");
        e
    };
    if !s.is_ascii() || s.len() < 10 {
        return Err(bad());
    }
    let (date, rest) = s.split_at(10);
    let mut it = date.split('-');
    let (y, m, d) = (it.next(), it.next(), it.next());
    let y = y.and_then(|v| num(v, 1970, 9999)).ok_or_else(bad)? as i64;
    let m = m.and_then(|v| num(v, 1, 12)).ok_or_else(bad)?;
    let d = d.and_then(|v| num(v, 1, month_len(y, m))).ok_or_else(bad)?;
    let mut local = days_from_civil(y, m, d) * DAY;
    if rest.is_empty() {
        let local = if end_of_day { local + DAY } else { local };
        return local_to_utc(local, zone, tz);
    }
    let rest = rest.strip_prefix(['T', ' ']).ok_or_else(bad)?;
    let (clock, off) = match rest.find(['Z', '+', '-']) {
        Some(i) => (&rest[..i], Some(&rest[i..])),
        None => (rest, None),
    };
    let (hm, sec) = match clock.len() {
        5 => (clock, 0),
        8 => (
            &clock[..5],
            num(&clock[6..], 0, 59)
                .filter(|_| &clock[5..6] == ":")
                .ok_or_else(bad)?,
        ),
        _ => return Err(bad()),
    };
    let hm = hhmm(hm).filter(|&v| v < 1440).ok_or_else(bad)?;
    local += i64::from(hm) * MIN + i64::from(sec) * 1000;
    match off {
        None => local_to_utc(local, zone, tz),
        Some("Z") => Ok(local),
        Some(o) => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let v = hhmm(&o[1..])
                .filter(|&v| v <= 1440 && o.len() == 6)
                .ok_or_else(bad)?;
            Ok(local - sign * i64::from(v) * MIN)
        }
    }
}

/// A compiled date window `[start, end)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Window {
    pub(crate) start: Option<i64>,
    pub(crate) end: Option<i64>,
}

impl Window {
    /// Whether `now` is inside, and when that can next change.
    pub(crate) fn eval(&self, now: i64) -> (bool, Option<i64>) {
        match (self.start, self.end) {
            (Some(s), _) if now < s => (false, Some(s)),
            (_, Some(e)) if now < e => (true, Some(e)),
            (_, Some(_)) => (false, None),
            _ => (true, None),
        }
    }
}

/// A compiled weekly schedule: merged `[from, to)` intervals in minutes from
/// Monday 00:00 local, and the minutes at which the state flips.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Weekly {
    pub(crate) zone: Box<str>,
    spans: Vec<(u32, u32)>,
    flips: Vec<u32>,
}

fn day_bits(name: &str) -> Option<u8> {
    let n = name.to_ascii_lowercase();
    const NAMES: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    match n.as_str() {
        "weekdays" => return Some(0b001_1111),
        "weekend" | "weekends" => return Some(0b110_0000),
        "daily" | "everyday" => return Some(0b111_1111),
        _ => {}
    }
    NAMES
        .iter()
        .position(|f| n.len() >= 3 && f.starts_with(n.as_str()))
        .map(|i| 1 << i)
}

impl Weekly {
    /// Validates the zone and slots.
    pub(crate) fn compile(
        zone: &str,
        slots: &[Slot],
        tz: &dyn TimeZoneDb,
        now: i64,
    ) -> Result<Self, String> {
        offset_ms(tz, zone, now)?;
        if slots.is_empty() || slots.len() > 64 {
            return Err("a schedule needs 1 to 64 slots".into());
        }
        let mut raw = Vec::new();
        for s in slots {
            let (from, to) = match (hhmm(&s.from), hhmm(&s.to)) {
                (Some(f), Some(t)) if f < 1440 && f != t => (f, t),
                _ => {
                    return Err(
                        "slot `from`/`to` must be distinct HH:MM times (`to` may be 24:00)".into(),
                    )
                }
            };
            let mut bits = 0u8;
            for d in &s.days {
                bits |= day_bits(d)
                    .ok_or("unknown day name in slot (use mon..sun, weekdays, weekend, daily)")?;
            }
            if bits == 0 {
                return Err("a slot needs at least one day".into());
            }
            for day in 0..7u32 {
                if bits & (1 << day) != 0 {
                    let start = day * 1440 + from;
                    let end = day * 1440 + to + if to < from { 1440 } else { 0 };
                    if end > WEEK_MIN {
                        raw.push((start, WEEK_MIN));
                        raw.push((0, end - WEEK_MIN));
                    } else {
                        raw.push((start, end));
                    }
                }
            }
        }
        raw.sort_unstable();
        let mut spans: Vec<(u32, u32)> = Vec::new();
        for (s, e) in raw {
            match spans.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => spans.push((s, e)),
            }
        }
        let starts: Vec<u32> = spans.iter().map(|s| s.0 % WEEK_MIN).collect();
        let ends: Vec<u32> = spans.iter().map(|s| s.1 % WEEK_MIN).collect();
        let mut flips: Vec<u32> = starts
            .iter()
            .chain(&ends)
            .copied()
            .filter(|m| !(starts.contains(m) && ends.contains(m)))
            .collect();
        flips.sort_unstable();
        flips.dedup();
        Ok(Weekly {
            zone: zone.into(),
            spans,
            flips,
        })
    }

    /// Whether `now` is inside a slot, and the next instant that can change.
    pub(crate) fn eval(&self, now: i64, tz: &dyn TimeZoneDb) -> (bool, Option<i64>) {
        let Ok(off) = offset_ms(tz, &self.zone, now) else {
            return (false, None);
        };
        let local = now.saturating_add(off);
        let days = local.div_euclid(DAY);
        let weekday = (days + 3).rem_euclid(7); // 1970-01-01 was a Thursday
        let ms_in_week = weekday * DAY + local.rem_euclid(DAY);
        let minute = (ms_in_week / MIN) as u32;
        let inside = self.spans.iter().any(|&(s, e)| s <= minute && minute < e);
        let next_flip = self
            .flips
            .iter()
            .map(|&f| i64::from(f) * MIN)
            .find(|&f| f > ms_in_week);
        let target = match (next_flip, self.flips.first()) {
            (Some(f), _) => f,
            (None, Some(&f)) => i64::from(f) * MIN + 7 * DAY,
            (None, None) => return (inside, None),
        };
        let local_target = local - ms_in_week + target;
        let at = match local_to_utc(local_target, &self.zone, tz) {
            Ok(t) if t > now => t,
            _ => now + MIN,
        };
        (inside, Some(at))
    }
}
