//! Wire protocol between the SDK and a chat server (see docs/PROTOCOL.md).
