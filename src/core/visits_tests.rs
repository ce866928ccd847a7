use super::*;
use proptest::prelude::*;

const T0: u64 = 1_800_000_000;

/// Applies cookies the way a browser would, to a simple jar string.
fn apply(jar: &mut Vec<(String, String)>, cookies: &[SetCookie]) {
    for c in cookies {
        let s = c.serialize().expect("valid cookie");
        assert!(s.contains("SameSite=Lax") && s.contains("Path=/"));
        jar.retain(|(n, _)| *n != c.name);
        if c.max_age_secs > 0 {
            jar.push((c.name.clone(), c.value.clone()));
        }
    }
}

fn header(jar: &[(String, String)]) -> String {
    jar.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; ")
}

#[test]
fn counts_per_site_and_page() {
    let cfg = VisitConfig::default();
    let mut jar = vec![("other".to_string(), "x".to_string())];
    for (i, path) in ["/a", "/b", "/a", "/a"].iter().enumerate() {
        let out = record_visit(&header(&jar), path, T0 + i as u64, &cfg, false);
        apply(&mut jar, &out.cookies);
        assert_eq!(out.site_count, i as u32 + 1);
    }
    assert_eq!(read_counts(&header(&jar), "/a", T0 + 9, &cfg), (4, 3));
    assert_eq!(read_counts(&header(&jar), "/b", T0 + 9, &cfg), (4, 1));
    assert_eq!(read_counts(&header(&jar), "/c", T0 + 9, &cfg), (4, 0));
}

#[test]
fn tampered_values_restart_the_count() {
    let cfg = VisitConfig::default();
    for bad in ["-1.5", "abc", "1e3.5", "1180591620717411303424.5", "3", "3.", ".5", "0.5", "3.99999999999999", "3.5.6", "+3.5"] {
        let h = format!("lcw_sv={bad}; lcw_pv=zz.1.2~0000000g.1.1");
        let out = record_visit(&h, "/", T0, &cfg, false);
        assert_eq!((out.site_count, out.page_count), (1, 1), "input {bad}");
    }
}

#[test]
fn inactivity_mode_counts_sessions() {
    let cfg = VisitConfig { mode: VisitMode::Inactivity { minutes: 30 }, ..VisitConfig::default() };
    let mut jar = Vec::new();
    let times = [T0, T0 + 60, T0 + 60 + 29 * 60, T0 + 60 + 29 * 60 + 30 * 60];
    let mut counts = Vec::new();
    for t in times {
        let out = record_visit(&header(&jar), "/", t, &cfg, false);
        apply(&mut jar, &out.cookies);
        counts.push((out.site_count, out.new_visit));
    }
    assert_eq!(counts, vec![(1, true), (1, false), (1, false), (2, true)]);
}

#[test]
fn page_cookie_is_bounded_and_reset_works() {
    let cfg = VisitConfig::default();
    let mut jar = Vec::new();
    for i in 0..50 {
        let out = record_visit(&header(&jar), &format!("/p{i}"), T0 + i, &cfg, true);
        assert!(out.cookies.iter().all(|c| c.serialize().unwrap().ends_with("; Secure")));
        apply(&mut jar, &out.cookies);
    }
    let pv = jar.iter().find(|(n, _)| n == "lcw_pv").unwrap().1.clone();
    assert_eq!(pv.split('~').count(), MAX_PAGES);
    assert_eq!(read_counts(&header(&jar), "/p49", T0 + 60, &cfg).1, 1);
    let r = reset(&header(&jar), Some("/p49"), T0 + 60, &cfg, false);
    apply(&mut jar, &r);
    assert_eq!(read_counts(&header(&jar), "/p49", T0 + 60, &cfg), (50, 0));
    assert_eq!(read_counts(&header(&jar), "/p48", T0 + 60, &cfg), (50, 1));
    let r = reset(&header(&jar), None, T0 + 60, &cfg, false);
    apply(&mut jar, &r);
    assert!(jar.is_empty());
}

#[test]
fn lifetime_is_clamped() {
    let cfg = VisitConfig { lifetime_days: 10_000, ..VisitConfig::default() };
    let out = record_visit("", "/", T0, &cfg, false);
    assert_eq!(out.cookies[0].max_age_secs, 400 * 86_400);
}

proptest! {
    #[test]
    fn any_cookie_header_gives_a_sane_count(h in ".{0,200}", path in "/[a-z]{0,8}") {
        let out = record_visit(&h, &path, T0, &VisitConfig::default(), false);
        prop_assert!(out.site_count >= 1 && out.site_count <= MAX_COUNT);
        prop_assert!(out.page_count >= 1);
        for c in &out.cookies { prop_assert!(c.serialize().is_ok()); }
    }

    #[test]
    fn counts_survive_round_trip(n in 1usize..30) {
        let cfg = VisitConfig::default();
        let mut jar = Vec::new();
        for i in 0..n {
            let out = record_visit(&header(&jar), "/x", T0 + i as u64, &cfg, false);
            apply(&mut jar, &out.cookies);
        }
        prop_assert_eq!(read_counts(&header(&jar), "/x", T0 + 100, &cfg), (n as u32, n as u32));
    }
}
