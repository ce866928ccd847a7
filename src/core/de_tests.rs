//! Pins what the hand-written `Deserialize` impls (`crate::core::de`) accept
//! and refuse: the JSON, and the messages, of the serde derives they replaced
//! (the expected strings were produced by those derives).

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::core::protocol::*;
use crate::core::tabs::TabMsg;
use crate::core::triggers::{Condition, Config, TextMatch, TouchFallback};
use crate::core::ui::model::{Author, UiPhase};

fn parse<T: DeserializeOwned>(json: &str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

/// Through a `serde_json::Value` (how rules, and fields inside buffered
/// frames, are read): same result, errors without a position.
fn parse_value<T: DeserializeOwned>(json: &str) -> Result<T, String> {
    T::deserialize(serde_json::from_str::<Value>(json).unwrap()).map_err(|e| e.to_string())
}

/// Moves `"tag":"..."` (serialized first) to the end of the object.
fn tag_last(json: &str) -> String {
    match json.find(',') {
        Some(i) if json.starts_with('{') => format!("{{{},{}}}", &json[i + 1..json.len() - 1], &json[1..i]),
        _ => json.to_string(),
    }
}

/// Every value survives derived `Serialize` then hand-written `Deserialize`,
/// from text and from a `Value`, with the tag first or last.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(all: &[T]) {
    for v in all {
        let json = serde_json::to_string(v).unwrap();
        assert_eq!(parse::<T>(&json).as_ref(), Ok(v), "{json}");
        assert_eq!(parse_value::<T>(&json).as_ref(), Ok(v), "{json}");
        let last = tag_last(&json);
        assert_eq!(parse::<T>(&last).as_ref(), Ok(v), "{last}");
    }
}

fn accepted<T: DeserializeOwned + PartialEq + Debug>(cases: &[(&str, T)]) {
    for (json, want) in cases {
        assert_eq!(parse::<T>(json).as_ref(), Ok(want), "{json}");
        assert_eq!(parse_value::<T>(json).as_ref(), Ok(want), "{json}");
    }
}

fn refused<T: DeserializeOwned + Debug>(cases: &[(&str, &str)]) {
    for (json, want) in cases {
        match parse::<T>(json) {
            Ok(v) => panic!("{json}: accepted as {v:?}"),
            Err(e) => assert_eq!(e, *want, "{json}"),
        }
        // A `Value` keeps only the last of repeated keys.
        if !want.starts_with("duplicate field") {
            assert!(parse_value::<T>(json).is_err(), "{json} accepted through a Value");
        }
    }
}

fn conv() -> ConversationInfo {
    ConversationInfo {
        id: "c".into(),
        queue_id: "q".into(),
        widget_id: "w".into(),
        state: ConversationState::Assigned,
        agent: Some(AgentInfo { id: "a".into(), display_name: "Ann".into() }),
        customer_id: Some("cu".into()),
        created_at: 5,
        last_seq: 2,
        position_in_queue: Some(1),
        closed_by: Some(Sender::Agent),
    }
}

fn msg() -> Message {
    let attachment = AttachmentInfo { id: "f".into(), name: "n".into(), mime_type: "m".into(), size: 1, url: "u".into() };
    Message { seq: 3, client_id: Some("x".into()), sender: Sender::Visitor, author_name: Some("V".into()), text: "hi".into(), attachment: Some(attachment), sent_at: 7 }
}

#[test]
fn server_frames_round_trip() {
    let mut context = std::collections::BTreeMap::new();
    context.insert("b".into(), ContextEntry { value: ContextPrimitive::Bool(true), is_displayable: true });
    context.insert("n".into(), ContextEntry { value: ContextPrimitive::Number(2.5), is_displayable: false });
    context.insert("t".into(), ContextEntry { value: ContextPrimitive::Text("v".into()), is_displayable: true });
    let ac = AgentConversation { conversation: conv(), context, pre_chat: [("k".to_string(), "v".to_string())].into() };
    let agent = AgentInfo { id: "a".into(), display_name: "Ann".into() };
    round_trip(&[
        ServerFrame::Welcome { conversation: conv(), auth_expires_at: None },
        ServerFrame::Welcome { conversation: conv(), auth_expires_at: Some(1_700_000_000_000) },
        ServerFrame::AuthOk { expires_at: 1_700_000_000_000 },
        ServerFrame::AgentWelcome { agent, conversations: vec![ac.clone()] },
        ServerFrame::Message { conversation_id: "c".into(), message: msg() },
        ServerFrame::Ack { conversation_id: "c".into(), client_id: "x".into(), seq: 4, duplicate: true },
        ServerFrame::Typing { conversation_id: "c".into(), sender: Sender::Agent, is_typing: true },
        ServerFrame::ConversationUpdated { conversation: conv() },
        ServerFrame::AgentConversationUpdated { conversation: ac },
        ServerFrame::History { conversation_id: "c".into(), messages: vec![msg()] },
        ServerFrame::Error { code: ErrorCode::RateLimited, message: "m".into(), client_id: Some("x".into()) },
        ServerFrame::Error { code: ErrorCode::RateLimited, message: "m".into(), client_id: None },
        ServerFrame::Pong,
    ]);
}

#[test]
fn server_frames_accepted() {
    let ack = || ServerFrame::Ack { conversation_id: "c".into(), client_id: "x".into(), seq: 4, duplicate: false };
    accepted(&[
        // Unknown fields are ignored (no deny_unknown_fields), also by unit variants.
        (r#"{"type":"ack","conversationId":"c","clientId":"x","seq":4,"duplicate":false,"new":1}"#, ack()),
        (r#"{"type":"pong","seq":1}"#, ServerFrame::Pong),
        // serde's sequence form: the tag, then the fields in declaration order.
        (r#"["ack","c","x",4,false]"#, ack()),
        (r#"["pong"]"#, ServerFrame::Pong),
        (r#"["error","rate_limited","m"]"#, ServerFrame::Error { code: ErrorCode::RateLimited, message: "m".into(), client_id: None }),
    ]);
}

#[test]
fn server_frames_refused() {
    const ONE_OF: &str = "expected one of `welcome`, `auth_ok`, `agent_welcome`, `message`, `ack`, `typing`, `conversation_updated`, `agent_conversation_updated`, `history`, `error`, `pong`";
    let unknown = format!("unknown variant `nope`, {ONE_OF} at line 1 column 14");
    refused::<ServerFrame>(&[
        (r#"{"type":"nope"}"#, &unknown),
        (r#"{"seq":1}"#, "missing field `type` at line 1 column 9"),
        (r#"{"type":1}"#, "invalid type: integer `1`, expected variant identifier at line 1 column 9"),
        (r#"{"type":"pong","type":"pong"}"#, "duplicate field `type` at line 1 column 21"),
        (r#""x""#, r#"invalid type: string "x", expected internally tagged enum ServerFrame at line 1 column 3"#),
        ("[]", "missing field `type` at line 1 column 2"),
        (r#"["pong",1]"#, "invalid length 1, expected 0 elements in sequence"),
        (r#"{"type":"ack","conversationId":"c","seq":4,"duplicate":false}"#, "missing field `clientId`"),
        (r#"{"type":"ack","conversationId":"c","clientId":"x","seq":"4","duplicate":false}"#, r#"invalid type: string "4", expected u64"#),
        (r#"{"type":"ack","conversationId":"c","clientId":"x","clientId":"y","seq":4,"duplicate":false}"#, "duplicate field `clientId`"),
        (r#"{"type":"typing","conversationId":"c","sender":"bot","isTyping":true}"#, "unknown variant `bot`, expected one of `visitor`, `agent`, `system`"),
        (r#"{"type":"welcome","conversation":{"id":"c"}}"#, "missing field `queueId`"),
        (r#"["ack","c","x",4,false,1]"#, "invalid length 5, expected 4 elements in sequence"),
    ]);
}

#[test]
fn tab_messages() {
    round_trip(&[
        TabMsg::Leader,
        TabMsg::Message { message: msg() },
        TabMsg::State { conversation: conv() },
        TabMsg::Refused { client_id: "x".into() },
        TabMsg::Ended { by_visitor: false },
        TabMsg::Send { client_id: "x".into(), text: "t".into(), created_at: -5 },
    ]);
    accepted(&[(r#"{"t":"leader","x":1}"#, TabMsg::Leader), (r#"{"clientId":"x","t":"refused","x":1}"#, TabMsg::Refused { client_id: "x".into() })]);
    refused::<TabMsg>(&[
        (r#"{"t":"zzz"}"#, "unknown variant `zzz`, expected one of `leader`, `message`, `state`, `refused`, `ended`, `send` at line 1 column 10"),
        (r#"{"type":"leader"}"#, "missing field `t` at line 1 column 17"),
        (r#"{"t":"send","createdAt":-5,"text":"t"}"#, "missing field `clientId`"),
        (r#"{"t":"send","clientId":"x","createdAt":1.5,"text":"t"}"#, "invalid type: floating point `1.5`, expected i64"),
        (r#"{"t":"ended","byVisitor":true,"byVisitor":false}"#, "duplicate field `byVisitor`"),
    ]);
}

#[test]
fn ui_phases_and_authors() {
    round_trip(&[
        UiPhase::Idle,
        UiPhase::Prechat,
        UiPhase::Connecting,
        UiPhase::Queued { position: 2, wait_secs: Some(30) },
        UiPhase::Queued { position: 2, wait_secs: None },
        UiPhase::Chatting { agent_name: Some("Ann".into()) },
        UiPhase::Ended { can_rate: true },
        UiPhase::Offline,
    ]);
    accepted(&[
        (r#"{"phase":"queued","position":2}"#, UiPhase::Queued { position: 2, wait_secs: None }),
        (r#"{"phase":"chatting"}"#, UiPhase::Chatting { agent_name: None }),
        (r#"{"phase":"ended","x":1}"#, UiPhase::Ended { can_rate: false }),
    ]);
    refused::<UiPhase>(&[
        (r#"{"phase":"queued"}"#, "missing field `position`"),
        (r#"{"phase":"queued","position":-1}"#, "invalid value: integer `-1`, expected u32"),
        (r#"{"phase":"ended","canRate":null}"#, "invalid type: null, expected a boolean"),
        (r#"{"phase":"nap"}"#, "unknown variant `nap`, expected one of `idle`, `prechat`, `connecting`, `queued`, `chatting`, `ended`, `offline` at line 1 column 14"),
    ]);
    round_trip(&[Author::Visitor, Author::System, Author::Agent { name: "Ann".into(), avatar: Some("u".into()) }]);
    accepted(&[(r#"{"kind":"agent"}"#, Author::Agent { name: String::new(), avatar: None }), (r#"{"kind":"visitor","name":"x"}"#, Author::Visitor)]);
    refused::<Author>(&[
        (r#"{"kind":"agent","name":null}"#, "invalid type: null, expected a string"),
        (r#"{"kind":"bot"}"#, "unknown variant `bot`, expected one of `visitor`, `agent`, `system` at line 1 column 13"),
        (r#"{"name":"x"}"#, "missing field `kind` at line 1 column 12"),
    ]);
}

#[test]
fn context_primitives() {
    round_trip(&[ContextPrimitive::Bool(false), ContextPrimitive::Number(-2.5), ContextPrimitive::Text("x".into())]);
    accepted(&[("3", ContextPrimitive::Number(3.0)), ("-3", ContextPrimitive::Number(-3.0))]);
    let no = "data did not match any variant of untagged enum ContextPrimitive";
    refused::<ContextPrimitive>(&[("null", no), ("[]", no), ("{}", no), (r#"{"value":1}"#, no)]);
    accepted(&[(r#"{"value":"v"}"#, ContextEntry { value: ContextPrimitive::Text("v".into()), is_displayable: true })]);
}

fn tm(equals: &str) -> TextMatch {
    TextMatch { equals: Some(equals.into()), ..TextMatch::default() }
}

#[test]
fn conditions_accepted() {
    use Condition as C;
    let t = || C::TimeOnPage { ms: 5 };
    accepted(&[
        (r#"{"type":"timeOnPage","ms":5}"#, t()),
        (r#"{"ms":5,"type":"timeOnPage"}"#, t()),
        (r#"{"type":"timeOnSite","ms":5}"#, C::TimeOnSite { ms: 5 }),
        (r#"{"type":"visitCount","every":2,"atLeast":null}"#, C::VisitCount { at_least: None, equals: None, every: Some(2) }),
        (r#"{"type":"exitIntent"}"#, C::ExitIntent { touch_fallback: TouchFallback::None }),
        (r#"{"type":"exitIntent","touchFallback":"visibilityHidden"}"#, C::ExitIntent { touch_fallback: TouchFallback::VisibilityHidden }),
        (r#"{"type":"referrer","equals":"a"}"#, C::Referrer(tm("a"))),
        (r#"{"type":"pageUrl","equals":"a"}"#, C::PageUrl(tm("a"))),
        (r#"{"type":"pagePath","equals":"a","ignoreCase":true}"#, C::PagePath(TextMatch { ignore_case: true, ..tm("a") })),
        (r#"{"type":"country","in":["FR"]}"#, C::Country { codes: vec!["FR".into()], match_unknown: false }),
        (r#"{"type":"dateWindow","end":"2025-01-01","timeZone":"UTC"}"#, C::DateWindow { start: None, end: Some("2025-01-01".into()), time_zone: Some("UTC".into()) }),
        (r#"{"type":"schedule","timeZone":"UTC","slots":[]}"#, C::Schedule { time_zone: "UTC".into(), slots: vec![] }),
        (r#"{"type":"scrollDepth","percent":50}"#, C::ScrollDepth { percent: 50 }),
        (r#"{"type":"elementVisible","selector":".x"}"#, C::ElementVisible { selector: ".x".into() }),
        (r#"{"type":"predicate","name":"p"}"#, C::Predicate { name: "p".into() }),
        (r#"{"type":"agentAvailable"}"#, C::AgentAvailable {}),
        (r#"{"type":"all","of":[{"type":"timeOnPage","ms":5}]}"#, C::All { of: vec![t()] }),
        (r#"{"type":"any","of":[]}"#, C::Any { of: vec![] }),
        (r#"{"type":"not","of":{"type":"timeOnPage","ms":5}}"#, C::Not { of: Box::new(t()) }),
        // serde's sequence form, and (nested only) a variant index as tag.
        (r#"["timeOnPage",5]"#, t()),
        (r#"{"type":"not","of":["timeOnPage",5]}"#, C::Not { of: Box::new(t()) }),
        (r#"{"type":"not","of":{"type":0,"ms":5}}"#, C::Not { of: Box::new(t()) }),
        (r#"{"type":"all","of":[[0,5]]}"#, C::All { of: vec![t()] }),
    ]);
}

#[test]
fn conditions_refused() {
    refused::<Condition>(&[
        (r#"{"type":"timeOnPage","ms":5,"extra":1}"#, "unknown field `extra`, expected `ms`"),
        (r#"{"type":"agentAvailable","x":1}"#, "unknown field `x`, there are no fields"),
        (r#"{"type":"visitCount","bogus":1}"#, "unknown field `bogus`, expected one of `atLeast`, `equals`, `every`"),
        (r#"{"type":"referrer","equalz":"a"}"#, "unknown field `equalz`, expected one of `equals`, `prefix`, `glob`, `regex`, `ignoreCase`"),
        (r#"{"type":"timeOnPage","ms":5,"ms":6}"#, "duplicate field `ms`"),
        (r#"{"type":"schedule","timeZone":"UTC"}"#, "missing field `slots`"),
        (r#"{"type":"scrollDepth","percent":300}"#, "invalid value: integer `300`, expected u8"),
        (r#"{"type":"timeOnPage","ms":1.5}"#, "invalid type: floating point `1.5`, expected u64"),
        (r#"{"type":"exitIntent","touchFallback":"shake"}"#, "unknown variant `shake`, expected one of `none`, `fastScrollUp`, `visibilityHidden`"),
        (r#"{"type":0,"ms":5}"#, "invalid type: integer `0`, expected variant identifier at line 1 column 9"),
        (r#"{"type":"not","of":{"type":17}}"#, "invalid value: integer `17`, expected variant index 0 <= i < 17"),
        (r#"{"type":"not","of":[]}"#, "missing field `type`"),
        (r#"{"type":"not"}"#, "missing field `of`"),
        (r#"["agentAvailable",1]"#, "invalid length 1, expected 0 elements in sequence"),
        // The one wording change: the derive said "expected struct variant
        // Condition::TimeOnPage with 1 element".
        (r#"["timeOnPage"]"#, "invalid length 0, expected 1 element in sequence"),
    ]);
}

#[test]
fn rule_errors_name_the_field() {
    let (cfg, errs) = Config::from_json(r#"[{"id":"r","when":{"type":"timeOnPage","ms":5,"extra":1}},{"id":"s","when":{"type":"nope"}}]"#);
    assert!(cfg.rules.is_empty());
    let errs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(errs[0], "proactive rule `r`: unknown field `extra`, expected `ms`");
    assert!(errs[1].starts_with("proactive rule `s`: unknown variant `nope`, expected one of `timeOnPage`, "), "{}", errs[1]);
}

#[test]
fn json_text_goes_through_a_value() {
    use crate::core::de::from_json;
    // Same values as serde_json::from_str; value errors carry no position,
    // syntax errors do; the last of repeated keys wins.
    assert_eq!(from_json::<TabMsg>(r#"{"t":"refused","clientId":"x"}"#).unwrap(), TabMsg::Refused { client_id: "x".into() });
    assert_eq!(from_json::<Message>(&serde_json::to_string(&msg()).unwrap()).unwrap(), msg());
    assert_eq!(from_json::<AgentInfo>(r#"{"id":"a","displayName":"A","id":"b"}"#).unwrap().id, "b");
    let e = from_json::<AgentInfo>(r#"{"id":1,"displayName":"A"}"#).unwrap_err().to_string();
    assert_eq!(e, "invalid type: integer `1`, expected a string");
    let e = from_json::<AgentInfo>(r#"{"id":"a",}"#).unwrap_err().to_string();
    assert_eq!(e, "trailing comma at line 1 column 11");
    let e = from_json::<ServerFrame>(r#"{"type":"nope"}"#).unwrap_err().to_string();
    assert!(e.starts_with("unknown variant `nope`, expected one of `welcome`, "), "{e}");
}

#[test]
fn unit_enums() {
    use crate::core::triggers::{MissingData, Once};
    use crate::core::ui::model::MessageStatus;
    round_trip(&[Sender::Visitor, Sender::Agent, Sender::System]);
    round_trip(&[ConversationState::Waiting, ConversationState::Assigned, ConversationState::Active, ConversationState::Closed]);
    round_trip(&[ErrorCode::BadRequest, ErrorCode::AttachmentTypeNotAllowed, ErrorCode::Internal]);
    round_trip(&[AuthMode::Anonymous, AuthMode::SecureCookie, AuthMode::Jwt]);
    round_trip(&[MessageStatus::Sending, MessageStatus::Sent, MessageStatus::Failed]);
    accepted(&[(r#""fastScrollUp""#, TouchFallback::FastScrollUp), (r#"{"none":null}"#, TouchFallback::None)]);
    accepted(&[(r#""keep""#, MissingData::Keep)]);
    accepted(&[(r#""pageView""#, Once::PageView), (r#""visitor""#, Once::Visitor)]);
    refused::<Sender>(&[
        (r#""bot""#, "unknown variant `bot`, expected one of `visitor`, `agent`, `system` at line 1 column 5"),
        ("1", "expected value at line 1 column 1"),
        (r#"{"agent":1}"#, "invalid type: integer `1`, expected unit at line 1 column 10"),
        (r#"{"agent":null,"system":null}"#, "expected value at line 1 column 13"),
    ]);
    refused::<Once>(&[(r#""always""#, "unknown variant `always`, expected one of `none`, `pageView`, `session`, `visitor` at line 1 column 8")]);
}
