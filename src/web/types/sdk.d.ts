/** A primitive context value. */
export type ContextValue = string | number | boolean;

/** One context entry: what agents see about this visitor. */
export interface ContextEntry {
  value: ContextValue;
  /** Whether agents see the entry in their console (default true). */
  isDisplayable?: boolean;
}

/** At most 100 entries; keys up to 100 characters; string values up to 4096. */
export type ChatContext = Record<string, ContextEntry>;

/** Called when a chat starts; returns the context or a Promise of it. */
export type ContextProvider = () => ChatContext | Promise<ChatContext>;

/**
 * Called when an authenticated chat starts, before the token expires, and
 * when the chat server reports it expired mid-chat (messages wait for it).
 * Either calls `callback(jwt)` or returns a Promise of the JWT.
 */
export type AuthTokenProvider =
  | ((callback: (jwt: string) => void) => void)
  | (() => Promise<string>);

/** Options of `startChat`. */
export interface StartChatOptions {
  /** Replaces the provider's context for this chat (validated; a bad one throws `LCW_INVALID_CONTEXT`). */
  customContext?: ChatContext;
  /** Opens the chat in a popout window. */
  inNewWindow?: boolean;
}

/** Options of `createSdk` (the script tag's `data-*` attributes carry the same names, kebab-cased). */
export interface SdkOptions {
  /** Name of the global command function the loader installs (default `lcw`). */
  global?: string;
  /** Dotted global path where the SDK object is installed, e.g. `Microsoft.Omnichannel.LiveChatWidget.SDK`. */
  exposeAs?: string;
  /** A context provider, or the dotted global name of one. */
  contextProvider?: ContextProvider | string;
  /** An auth token provider, or the dotted global name of one (missing: `lcw:error` code 8). */
  authTokenProvider?: AuthTokenProvider | string;
  /** Visit cookie name prefix (default `lcw`). */
  visitPrefix?: string;
  /** Visit cookie lifetime in days, 1 to 400 (default 180). */
  visitLifetimeDays?: number | string;
  /** `pageLoad` (every load is a visit, the default) or `inactivity`. */
  visitMode?: "pageLoad" | "inactivity";
  /** Minutes without activity that end a visit (implies `inactivity`; default 30). */
  visitInactivityMinutes?: number | string;
  /** `required`: nothing is stored until `setConsent(true)`. Default `granted`. */
  consent?: "granted" | "required";
  /** How long a provider may take, in ms (default 10000). */
  providerTimeoutMs?: number | string;
  /** Clock-skew leeway for JWT `exp`/`nbf`, in seconds (default 60). */
  jwtLeewaySecs?: number | string;
  /** Base URL of the chat server (`"/"` or `""` = this page's origin). Without it chats are local only. */
  server?: string;
  /** Widget id on the chat server (default `default`). */
  widget?: string;
  /**
   * `default` shows the SDK's chat widget; `none` leaves drawing to the page
   * (headless). The core build (`lcw-sdk/core`, `lcw_core.js`) has no widget:
   * there `none` is the default and `default` is `lcw:error` code 10.
   */
  ui?: "default" | "none";
  /**
   * When the chat's code (the `*_chat.wasm` chunk, with the widget's open
   * window) is fetched: `intent` (default) when the visitor shows it (an
   * invite shown, the pointer or focus on the launcher, a chat started);
   * `idle` also once the page is idle after ready, so that the first open or
   * chat never waits for it, at the cost of its download on every visit.
   */
  prefetch?: "intent" | "idle";
  /**
   * Proactive-chat rules (see `ProactiveConfig`), or their JSON text (the
   * `data-proactive-rules` attribute). Each invalid rule: `lcw:error` code 11,
   * once the engine's code has loaded (after `lcw:ready`).
   */
  proactiveRules?: ProactiveConfig | string;
  /** The visitor's country as the server knows it (ISO 3166-1 alpha-2), for `country` conditions. */
  country?: string;
}

/** A file carried by a message. Download it with `sdk.fetchAttachment(id)`
 * (the session's credentials are needed); the name is text, never HTML. */
export interface ChatAttachment {
  /** Attachment id on the chat server. */
  id: string;
  /** File name as uploaded. */
  name: string;
  /** MIME type, e.g. `image/png`. */
  mimeType: string;
  /** Size in bytes. */
  size: number;
}

/** A chat message as `getMessages()` lists it (and `lcw:onMessageReceived` carries). */
export interface ChatMessage {
  /** Client id for visitor messages, `seq-N` for others. */
  id: string;
  /** Server sequence number (null while sending). */
  seq: number | null;
  /** Plain text (never HTML). */
  text: string;
  sender: "visitor" | "agent" | "system";
  authorName?: string | null;
  /** ms since the epoch. */
  timestamp: number;
  status: "sending" | "sent";
  /** The file the message carries (messages from the server; absent on the visitor's pending sends). */
  attachment?: ChatAttachment | null;
}

/** Read receipts of the open chat (`getReadState()`): the `seq` each side has seen every message up to (0: nothing yet). */
export interface ReadState {
  /** The visitor, in any tab or on any page of the visit. */
  visitorReadSeq: number;
  /** The conversation's agent. */
  agentReadSeq: number;
}

/** `setCountrySource`: returns the visitor's ISO 3166-1 alpha-2 code (or a Promise of it); null/undefined = unknown. */
export type CountrySource = () => string | null | undefined | Promise<string | null | undefined>;

/** `useGeolocationCountry`: the site's reverse geocoder from coordinates to a country code. */
export type Geocoder = (latitude: number, longitude: number) => string | null | undefined | Promise<string | null | undefined>;

/** First argument of `startProactiveChat`. */
export interface NotificationUIConfig {
  /** The invite text (plain text). Default "Hi! Have any questions? I'm here to help." */
  message?: string;
}

/** Third argument of `startProactiveChat`: context merged into the chat's when the invite is accepted. */
export type ProactiveInputParams = { customContext?: ChatContext } | ChatContext;

/** Visit counts for this page load. */
export interface VisitCounts {
  /** Visits to the site, this one included. */
  site: number;
  /** Visits to this page, this one included. */
  page: number;
  /** Whether this load started a new visit. */
  newVisit: boolean;
  /** False while counts live only in memory (consent pending, storage blocked). */
  persisted: boolean;
}

/** Numeric codes of `lcw:error` (see the README for each). */
export type LcwErrorCode = 1 | 2 | 3 | 4 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16;

/** `detail` of `lcw:error`. */
export interface LcwErrorDetail {
  errorCode: LcwErrorCode;
  errorDescription: string;
  /** Code 14 for a message the chat server refused: the id `sendMessage`
   * returned for it (the message is not delivered and not sent again). */
  clientId?: string;
}

/** `detail` of `lcw:startChat`. */
export interface StartChatDetail {
  context: ChatContext;
  authenticated: boolean;
}

/** Event names and their `detail` types. */
export interface LcwEventMap {
  "lcw:ready": { version: string };
  "lcw:error": LcwErrorDetail;
  "lcw:startChat": StartChatDetail;
  "lcw:closeChat": undefined;
  "lcw:chatQueued": { conversationId: string; positionInQueue: number | null };
  "lcw:chatRetrieved": { conversationId: string };
  "lcw:onClose": undefined;
  "lcw:onMinimize": undefined;
  "lcw:onMaximize": undefined;
  "lcw:onMessageReceived": ChatMessage;
  "lcw:onMessageSent": ChatMessage;
  "lcw:threadUpdate": { conversationId: string; reason: "agentEnded" | "systemEnded" };
  "lcw:getAgentAvailability": AgentAvailability;
  /** An agent accepted the conversation. */
  "lcw:agentJoined": { conversationId: string; agentName: string | null };
  /** The agent started or stopped typing. */
  "lcw:agentTyping": { isTyping: boolean };
  /** The chat's connection to the server dropped; the SDK reconnects with backoff, and messages sent meanwhile wait in order (every tab of the chat). */
  "lcw:chatReconnecting": { conversationId: string };
  /** The chat's connection is back; what waited is sent (every tab of the chat). */
  "lcw:chatReconnected": { conversationId: string };
  /** A read receipt: `reader` has seen every message up to `seq` (the agent; or the visitor, in another tab, on another page, or this one after `markRead()`). Every tab of the chat. */
  "lcw:messagesRead": { conversationId: string; reader: "visitor" | "agent"; seq: number };
  "lcw:proactiveInviteShown": { ruleId: string; message: string };
  "lcw:proactiveInviteAccepted": { ruleId: string };
  "lcw:proactiveInviteDismissed": { ruleId: string };
  "lcw:proactiveInviteExpired": { ruleId: string };
  /**
   * The proactive engine runs these rules from now on (the valid ones, in
   * order): each time it has read rules (its code loads after `lcw:ready`
   * when there are some; then on every change: `setProactiveRules`, the
   * server's rules), and `[]` when none is valid or they are removed. The
   * invalid ones were reported before it (`lcw:error` 11). Signals and
   * deadlines count from the page load, not from this event.
   */
  "lcw:proactiveRulesRunning": { ruleIds: string[] };
  /** The visitor asked for a video call (`requestVideoCall`, any tab). */
  "lcw:videoRequested": { callId: string };
  /** The agent invites the visitor to a video call (every tab). */
  "lcw:videoInvite": { callId: string; cameraMode: VideoCameraMode };
  /** The visitor joined the call (in the tab `inThisTab`). */
  "lcw:videoCallStarted": { callId: string; inThisTab: boolean };
  /** The call's media connect (the tab in the call); again when they are back after a failed connection was restarted. */
  "lcw:videoCallConnected": { callId: string };
  /** The call's media connection went down (the tab in the call); the agent's side restarts it. `lcw:videoCallConnected` when it is back, `lcw:videoCallEnded` (after `lcw:error` 16) when it is not back in time. */
  "lcw:videoCallReconnecting": { callId: string };
  "lcw:videoCallEnded": { callId: string; reason: VideoEndReason | "ended" };
}

/** Any SDK event name, with or without the `lcw:` prefix. */
export type LcwEventName = keyof LcwEventMap | (keyof LcwEventMap extends `lcw:${infer N}` ? N : never);

/** Queue availability (`getAgentAvailability`). */
export interface AgentAvailability {
  queueId: string;
  isQueueAvailable: boolean;
  isAgentAvailable: boolean;
  positionInQueue: number;
  /** Seconds, from recent history. */
  averageWaitTime: number;
  /** ISO 8601, or null when the queue has no operating hours. */
  startTimeOfNextOperatingHours: string | null;
  endTimeOfNextOperatingHours: string | null;
  /** Whether a video-capable agent is on (offer video only then). */
  isVideoAgentAvailable: boolean;
}

/** The widget's camera mode for the visitor. */
export type VideoCameraMode = "normal" | "one_way" | "camera_off";

/** Why a video call ended. */
export type VideoEndReason = "declined" | "visitor" | "agent" | "closed" | "disconnected";

/** The conversation's video call (`getVideoCall`). */
export interface VideoCallInfo {
  callId: string;
  state: "requested" | "invited" | "active" | "ended";
  cameraMode: VideoCameraMode;
  reason: VideoEndReason | null;
  /** Whether the call's media are in this tab (it accepted). */
  inThisTab: boolean;
  /** The media connection is down and being restarted (this tab's call). */
  reconnecting: boolean;
  /** This tab's microphone (and camera), when the call is here. */
  localStream: MediaStream | null;
  /** The agent's audio and video, when the call is here. */
  remoteStream: MediaStream | null;
}

/** Errors the SDK throws for API misuse. */
export interface LiveChatSdkError extends Error {
  name: "LiveChatSdkError";
  code: "LCW_INVALID_ARGUMENT" | "LCW_INVALID_CONTEXT" | "LCW_INVALID_PATH" | "LCW_UNKNOWN_EVENT" | "LCW_DESTROYED" | "LCW_NO_CHAT";
}

/** The live chat SDK for one page. */
export class LiveChatSdk {
  private constructor();
  free(): void;
  /** Sets the function asked for context when a chat starts. Not a function: throws `LCW_INVALID_ARGUMENT`. */
  setContextProvider(provider: ContextProvider): void;
  /** The current context provider, or undefined. */
  getContextProvider(): ContextProvider | undefined;
  /** Removes the context provider. */
  removeContextProvider(): void;
  /** Sets the function asked for a JWT. Not a function: throws `LCW_INVALID_ARGUMENT`. */
  setAuthTokenProvider(provider: AuthTokenProvider): void;
  /** The current auth token provider, or undefined. */
  getAuthTokenProvider(): AuthTokenProvider | undefined;
  /** Removes the auth token provider and cancels token refresh. */
  removeAuthTokenProvider(): void;
  /**
   * OAuth 2.0 authorization code from the site's identity provider (widgets
   * in `oauth` auth mode), with its PKCE verifier if the authorization
   * request had a code challenge. Sent with the next chat start; single use
   * (kept until a chat starts with it or the server refuses it: `lcw:error`
   * 15). Bad shape: throws `LCW_INVALID_ARGUMENT`.
   */
  setAuthorizationCode(code: string, codeVerifier?: string): void;
  /** Asks the agent for a video call (starts the chat first if none); this tab joins when the agent invites. Rejects with an Error whose `code` is 16 when video cannot be had. */
  requestVideoCall(): Promise<void>;
  /** Joins the call the agent invited to, in this tab (microphone, and camera in the `normal` mode). */
  acceptVideoCall(): Promise<void>;
  /** Declines the invitation (or withdraws the request). */
  declineVideoCall(): Promise<void>;
  /** Hangs up. */
  endVideoCall(): Promise<void>;
  /** Camera on or off in this tab's call (not in the `one_way` mode). */
  setVideoCamera(on: boolean): Promise<void>;
  /** Microphone on or off in this tab's call. */
  setVideoMicrophone(on: boolean): Promise<void>;
  /** The conversation's video call, or null. */
  getVideoCall(): VideoCallInfo | null;
  /** Opens the existing chat, or starts one. */
  startChat(options?: StartChatOptions): Promise<void>;
  /** Ends the conversation and clears everything cached for it. */
  closeChat(): Promise<void>;
  /** Sends a visitor message in the open chat; returns its client id. `lcw:onMessageSent` follows once stored. */
  sendMessage(text: string): string;
  /** The open chat's messages and pending sends, oldest first. */
  getMessages(): ChatMessage[];
  /** Read receipts of the open chat, or null without one; `lcw:messagesRead` tells each change. */
  getReadState(): ReadState | null;
  /** Tells the agent the visitor has seen the chat's messages up to the newest one (call it when they are on screen; the default widget does). True when that is news; false when already said or without a chat. */
  markRead(): boolean;
  /** Tells the agent the visitor is typing (`true`, the default) or stopped, for a page that draws its own chat: call it on each input event. The agent hears "typing" once, then "stopped" on `sendTyping(false)` or 3 s after the last call. True when there is a chat to tell. */
  sendTyping(isTyping?: boolean): boolean;
  /** Downloads a message's file (`message.attachment.id`) with the session's credentials. Rejects with an Error whose `code` is 14 when there is no chat or the server refuses. */
  fetchAttachment(id: string): Promise<Blob>;
  /** Queue availability (cached 5 s); rejects with an Error whose `code` is 14 when the server cannot answer. */
  getAgentAvailability(): Promise<AgentAvailability>;
  /** Subscribes to an SDK event; returns a function that unsubscribes. */
  on<K extends keyof LcwEventMap>(name: K, handler: (event: CustomEvent<LcwEventMap[K]>) => void): () => void;
  on(name: LcwEventName, handler: (event: CustomEvent) => void): () => void;
  /** Visit counts for this page load. */
  visitCounts(): VisitCounts;
  /** Resets this page's visit counter (`"page"`, default) or the site's (`"all"`). */
  resetVisits(scope?: "page" | "all"): void;
  /** Grants or withdraws storage consent (withdrawing erases what the SDK stored). */
  setConsent(granted: boolean): void;
  /** Whether storage consent is granted. */
  hasConsent(): boolean;
  /** Switches the widget's language at run time (e.g. `"fr-CA"`, `"ar"` for right-to-left); no-op without the widget. */
  setLocale(tag: string): void;
  /** Installs this SDK at a dotted global path. */
  exposeAs(path: string): void;
  /** Removes every listener and timer; later calls throw `LCW_DESTROYED`. */
  destroy(): void;
  /**
   * Replaces the proactive rules; each invalid rule is reported as `lcw:error` code 11, the others run. The rules are
   * read by the engine's code, a chunk loaded when there are rules: the errors come once it is there (after
   * `lcw:ready`), before `lcw:proactiveRulesRunning`. Not an array/object/string: throws `LCW_INVALID_ARGUMENT`.
   */
  setProactiveRules(rules: ProactiveConfig | string): void;
  /** Registers a page predicate for `{type: "predicate", name}` conditions (asked on load and on each page view; throwing: code 13 once, counts as false). */
  registerPredicate(name: string, predicate: () => boolean | Promise<boolean>): void;
  /** Page data for invite templates (`{caseId}`), for the current page view. */
  setPageData(data: Record<string, string | number | boolean>): void;
  /** Where the visitor's country comes from (asked only when a rule has a `country` condition). */
  setCountrySource(source: CountrySource): void;
  /** The browser's geolocation plus the site's reverse geocoder as the country source (denied: unknown, no error). */
  useGeolocationCountry(geocoder: Geocoder): void;
  /** Whether an agent is available (for `agentAvailable` conditions and `requireAgentAvailable`). */
  setAgentAvailability(available: boolean): void;
  /**
   * Shows an invite now (`ruleId: "manual"`), closed after 60 s if ignored;
   * accepting starts the chat with `inputParams` context plus `Proactive Chat = True`.
   * Bad arguments throw `LCW_INVALID_ARGUMENT`.
   */
  startProactiveChat(notificationUIConfig?: NotificationUIConfig, showPrechat?: boolean, inputParams?: ProactiveInputParams): Promise<void>;
  /** The SDK version. */
  readonly version: string;
}

declare global {
  interface WindowEventMap {
    "lcw:ready": CustomEvent<LcwEventMap["lcw:ready"]>;
    "lcw:error": CustomEvent<LcwErrorDetail>;
    "lcw:startChat": CustomEvent<StartChatDetail>;
    "lcw:proactiveInviteShown": CustomEvent<LcwEventMap["lcw:proactiveInviteShown"]>;
    "lcw:proactiveInviteAccepted": CustomEvent<LcwEventMap["lcw:proactiveInviteAccepted"]>;
    "lcw:proactiveInviteDismissed": CustomEvent<LcwEventMap["lcw:proactiveInviteDismissed"]>;
    "lcw:proactiveInviteExpired": CustomEvent<LcwEventMap["lcw:proactiveInviteExpired"]>;
    "lcw:proactiveRulesRunning": CustomEvent<LcwEventMap["lcw:proactiveRulesRunning"]>;
  }
}
