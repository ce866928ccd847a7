//! The visitor's side of a video call, the pure part: what the widget's
//! camera mode asks of the visitor's devices, and the WebRTC signals the
//! agent's side sends (`rtc` frames, src/core/protocol/video.rs). The
//! browser side is `src/web/video/`.

use crate::core::json::Value;
use crate::core::session::Backoff;

/// The widget's camera mode (`video.cameraMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameraMode {
    /// The visitor joins with camera and microphone.
    Normal,
    /// The visitor's camera is never requested: microphone only, and the
    /// call's video goes one way, agent to visitor.
    OneWay,
    /// The visitor joins with the microphone; the camera is requested only
    /// when they turn it on.
    CameraOff,
}

impl CameraMode {
    /// The mode for the server's text; an unknown one is `normal`, the
    /// server's own default.
    pub fn parse(text: &str) -> CameraMode {
        match text {
            "one_way" => CameraMode::OneWay,
            "camera_off" => CameraMode::CameraOff,
            _ => CameraMode::Normal,
        }
    }

    /// Whether the camera is asked for when the visitor joins.
    pub fn camera_at_join(self) -> bool {
        self == CameraMode::Normal
    }

    /// Whether the visitor may send video at all (`one_way`: never).
    pub fn may_send_video(self) -> bool {
        self != CameraMode::OneWay
    }

    /// The direction of the call's video transceiver on the visitor's side.
    pub fn video_direction(self) -> &'static str {
        if self.may_send_video() { "sendrecv" } else { "recvonly" }
    }
}

/// A WebRTC signal from the other side (`rtc` payload).
#[derive(Debug, Clone, PartialEq)]
pub enum Signal {
    /// An SDP offer.
    Offer(String),
    /// An SDP answer.
    Answer(String),
    /// An ICE candidate (`RTCIceCandidateInit` as JSON); `None` is the end
    /// of candidates.
    Candidate(Option<Value>),
}

impl Signal {
    /// Reads a payload; `None` for anything else (ignored, so that a newer
    /// agent console can add kinds).
    pub fn read(payload: &Value) -> Option<Signal> {
        let kind = match payload.get("type")? {
            Value::String(s) => s.as_str(),
            _ => return None,
        };
        let sdp = || match payload.get("sdp") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        match kind {
            "offer" => sdp().map(Signal::Offer),
            "answer" => sdp().map(Signal::Answer),
            "candidate" => match payload.get("candidate") {
                None | Some(Value::Null) => Some(Signal::Candidate(None)),
                Some(c @ Value::Object(_)) => Some(Signal::Candidate(Some(c.clone()))),
                Some(_) => None,
            },
            _ => None,
        }
    }
}

/// How long a tab keeps trying to get its dropped call socket back when the
/// server does not say how long it keeps the call (a server without
/// `video.resumeSecs` in the widget's configuration).
pub const RESUME_FOR_MS: f64 = 20_000.0;

/// How much longer than the server's wait a tab keeps trying: the server
/// starts its wait when it notices the drop, which may be after this tab
/// did, and a retry takes a round trip.
pub const RESUME_MARGIN_MS: f64 = 2_000.0;

/// How long a tab keeps trying to get its call socket back, from the
/// server's `video.resumeSecs` (its `call_resume_secs`): that wait plus
/// [`RESUME_MARGIN_MS`]; no retry at all when the server ends a dropped
/// call at once (0); [`RESUME_FOR_MS`] when the server does not say.
pub fn resume_window_ms(resume_secs: Option<u64>) -> f64 {
    match resume_secs {
        None => RESUME_FOR_MS,
        Some(0) => 0.0,
        // (capped at a day: the window is a float, and no call waits that long)
        Some(s) => s.min(86_400) as f64 * 1_000.0 + RESUME_MARGIN_MS,
    }
}

/// What to do after the call socket dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Open a new call socket after this many milliseconds.
    In(u32),
    /// Stop: the call is lost here.
    GiveUp,
}

/// The call socket's way back after a drop: retries with backoff for a
/// window ([`resume_window_ms`]) from the first drop, until the server
/// takes a new socket back.
#[derive(Debug, Clone, PartialEq)]
pub struct Resume {
    since: Option<f64>,
    backoff: Backoff,
    window_ms: f64,
}

impl Default for Resume {
    fn default() -> Self {
        Resume::within(RESUME_FOR_MS)
    }
}

impl Resume {
    /// Retries for `window_ms` from the first drop (0: gives up at once).
    pub fn within(window_ms: f64) -> Self {
        Resume { since: None, backoff: Backoff::default(), window_ms }
    }

    /// The socket dropped, or a new one failed, at `now` (ms); `random` in
    /// `[0, 1)` jitters the delay.
    pub fn dropped(&mut self, now: f64, random: f64) -> Retry {
        let since = *self.since.get_or_insert(now);
        let delay = self.backoff.next_delay(random);
        if now - since + delay as f64 > self.window_ms {
            Retry::GiveUp
        } else {
            Retry::In(delay.min(u64::from(u32::MAX)) as u32)
        }
    }

    /// The server took a socket back: a later drop starts afresh.
    pub fn resumed(&mut self) {
        self.since = None;
        self.backoff.reset();
    }

    /// Whether the socket is away (a retry is due or under way).
    pub fn away(&self) -> bool {
        self.since.is_some()
    }

    /// How long the call may be away before it is lost (ms): also how long
    /// a failed media connection waits for the agent's ICE restart.
    pub fn window_ms(&self) -> f64 {
        self.window_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_modes() {
        assert_eq!(CameraMode::parse("one_way"), CameraMode::OneWay);
        assert_eq!(CameraMode::parse("camera_off"), CameraMode::CameraOff);
        assert_eq!(CameraMode::parse("normal"), CameraMode::Normal);
        assert_eq!(CameraMode::parse(""), CameraMode::Normal);
        assert!(CameraMode::Normal.camera_at_join());
        assert!(!CameraMode::CameraOff.camera_at_join() && CameraMode::CameraOff.may_send_video());
        assert!(!CameraMode::OneWay.camera_at_join() && !CameraMode::OneWay.may_send_video());
        assert_eq!(CameraMode::OneWay.video_direction(), "recvonly");
        assert_eq!(CameraMode::CameraOff.video_direction(), "sendrecv");
    }

    #[test]
    fn signals() {
        let read = |s: &str| Signal::read(&crate::core::json::parse(s).unwrap());
        assert_eq!(read(r#"{"type":"offer","sdp":"v=0"}"#), Some(Signal::Offer("v=0".into())));
        assert_eq!(read(r#"{"type":"answer","sdp":"v=0"}"#), Some(Signal::Answer("v=0".into())));
        let c = read(r#"{"type":"candidate","candidate":{"candidate":"candidate:1","sdpMid":"0"}}"#);
        assert!(matches!(c, Some(Signal::Candidate(Some(Value::Object(_))))));
        assert_eq!(read(r#"{"type":"candidate","candidate":null}"#), Some(Signal::Candidate(None)));
        assert_eq!(read(r#"{"type":"candidate"}"#), Some(Signal::Candidate(None)));
        for bad in [r#"{"type":"offer"}"#, r#"{"type":"offer","sdp":1}"#, r#"{"type":"candidate","candidate":"x"}"#, r#"{"type":"bye"}"#, r#"{"type":1}"#, "[]", r#""x""#] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    #[test]
    fn resume_retries_with_growing_delays_then_gives_up() {
        let mut r = Resume::default();
        assert!(!r.away());
        let mut now = 1_000.0;
        let mut delays = vec![];
        while let Retry::In(d) = r.dropped(now, 0.5) {
            assert!(r.away());
            delays.push(d);
            now += f64::from(d) + 50.0; // the new socket fails a little later
        }
        assert!(delays.len() >= 4, "{delays:?}");
        assert!(delays.windows(2).all(|w| w[1] > w[0]), "{delays:?}");
        assert!(delays[0] <= 500, "the first retry is quick: {delays:?}");
        assert!(now - 1_000.0 <= RESUME_FOR_MS + 1_000.0, "gave up within the window: {now}");
        // A resume starts afresh.
        r.resumed();
        assert!(!r.away());
        assert_eq!(r.dropped(100_000.0, 0.5), Retry::In(delays[0]));
    }

    #[test]
    fn resume_counts_from_the_first_drop() {
        let mut r = Resume::default();
        assert!(matches!(r.dropped(0.0, 0.0), Retry::In(_)));
        assert_eq!(r.dropped(RESUME_FOR_MS, 0.0), Retry::GiveUp);
        // Jitter outside [0, 1) is clamped, not a panic.
        let mut r = Resume::default();
        assert!(matches!(r.dropped(0.0, f64::NAN), Retry::In(_)));
        assert!(matches!(r.dropped(1.0, 7.0), Retry::In(_)));
    }

    #[test]
    fn the_window_follows_the_server_wait() {
        assert_eq!(resume_window_ms(None), RESUME_FOR_MS);
        assert_eq!(resume_window_ms(Some(0)), 0.0);
        assert_eq!(resume_window_ms(Some(1)), 1_000.0 + RESUME_MARGIN_MS);
        assert_eq!(resume_window_ms(Some(u64::MAX)), 86_400_000.0 + RESUME_MARGIN_MS);
        // A server that ends dropped calls at once: no retry.
        assert_eq!(Resume::within(resume_window_ms(Some(0))).dropped(0.0, 0.5), Retry::GiveUp);
        // A 1 s wait: retries for about 3 s, then stops.
        let mut r = Resume::within(resume_window_ms(Some(1)));
        let mut now = 0.0;
        while let Retry::In(d) = r.dropped(now, 0.5) {
            now += f64::from(d);
        }
        assert!(now > 1_000.0 && now <= 3_000.0, "{now}");
        // A 60 s wait: still trying after 40 s (past the default window).
        let mut r = Resume::within(resume_window_ms(Some(60)));
        assert!(matches!(r.dropped(0.0, 0.5), Retry::In(_)));
        assert!(matches!(r.dropped(40_000.0, 0.5), Retry::In(_)));
        assert_eq!(r.dropped(62_000.0, 0.5), Retry::GiveUp);
    }
}
