//! The visitor's side of a video call, the pure part: what the widget's
//! camera mode asks of the visitor's devices, and the WebRTC signals the
//! agent's side sends (`rtc` frames, src/core/protocol/video.rs). The
//! browser side is `src/web/video/`.

use crate::core::json::Value;

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
}
