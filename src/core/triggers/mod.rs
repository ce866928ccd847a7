//! The proactive-chat trigger engine: rules, conditions, caps, decisions.
