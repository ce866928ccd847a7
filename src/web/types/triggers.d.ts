/**
 * Proactive-chat rules: the JSON a page script (or, later, the server's
 * widget config) hands to the SDK. Mirrors `src/core/triggers/spec.rs`.
 *
 * Validation: every rule is checked on load. An invalid rule (unknown
 * condition `type`, unknown field, bad number, bad regex, unknown timezone,
 * `end` before `start`, ...) is reported as `lcw:error` code 11
 * (`ProactiveRuleInvalid`) with the rule id in `errorDescription`, and that
 * rule alone is disabled. **Unknown fields are rejected** (a typo must not make
 * a rule fire more broadly than meant).
 *
 * Times are milliseconds (durations) or ISO dates; all thresholds are at
 * most one year (31 622 400 000 ms).
 */

/** The whole configuration: a bare array of rules, or rules plus settings. */
export type ProactiveConfig = ProactiveRule[] | { settings?: ProactiveSettings; rules?: ProactiveRule[] };

/** Engine-wide caps. */
export interface ProactiveSettings {
  /** At most this many invites per session, all rules together; 0 = unlimited. Default 3. */
  maxInvitesPerSession?: number;
  /** Minimum time between two invites, all rules together. Default 30000. */
  minGapMs?: number;
  /** A session ends after this long without a page view (>= 60000). Default 1800000 (30 min). */
  sessionTimeoutMs?: number;
  /** Show no invite unless an agent is available. Default false. */
  requireAgentAvailable?: boolean;
}

/** One rule: when `when` holds and the caps allow, show `action`'s invite. */
export interface ProactiveRule {
  /** Unique, 1 to 64 characters; carried by every `lcw:proactiveInvite*` event. */
  id: string;
  /** A disabled rule is validated but never fires. Default true. */
  enabled?: boolean;
  /** Integer; higher wins when several rules hold at once (one invite at a time). Ties: earlier in the array wins. Default 0. */
  priority?: number;
  /** The condition tree (use `{ "type": "all", "of": [...] }` for several). */
  when: ProactiveCondition;
  /** The invite. Default: the default message. */
  action?: ProactiveAction;
  /** Per-rule caps. */
  caps?: ProactiveCaps;
}

/** A string matcher: exactly one of `equals`, `prefix`, `glob`, `regex`. */
export interface TextMatch {
  /** Whole-string equality. */
  equals?: string;
  /** Starts with. */
  prefix?: string;
  /** Whole-string glob: `*` any run (including none), `?` one character, `\` escapes the next. */
  glob?: string;
  /** A JS `RegExp` source (no slashes, no flags); unanchored unless it anchors itself. */
  regex?: string;
  /** Case-insensitive. Default false. */
  ignoreCase?: boolean;
}

/** Any condition, discriminated by `type`. */
export type ProactiveCondition =
  /** The current page view has lasted `ms` (an SPA navigation starts a new page view). */
  | { type: "timeOnPage"; ms: number }
  /** The session has lasted `ms`. */
  | { type: "timeOnSite"; ms: number }
  /** The SDK's visit counter: exactly one of `atLeast` (>=), `equals` (==), `every` (every Nth visit, N >= 1). */
  | { type: "visitCount"; atLeast?: number; equals?: number; every?: number }
  /**
   * The pointer leaves the page through the top edge. On touch devices
   * `touchFallback` chooses what also counts. Momentary: combine it with
   * `timeOnPage` for "after 15 s, on exit".
   */
  | { type: "exitIntent"; touchFallback?: "none" | "fastScrollUp" | "visibilityHidden" }
  /** `document.referrer` (the previous URL after an SPA navigation); `""` for direct visits. */
  | ({ type: "referrer" } & TextMatch)
  /** The full page URL. */
  | ({ type: "pageUrl" } & TextMatch)
  /** The URL path (no query, no fragment), e.g. `/cases/42`. */
  | ({ type: "pagePath" } & TextMatch)
  /**
   * The visitor's country (ISO 3166-1 alpha-2, case-insensitive) from the
   * configured country source. Unknown/denied is normal: it matches only with
   * `matchUnknown: true`.
   */
  | { type: "country"; in: string[]; matchUnknown?: boolean }
  /**
   * An absolute window. `start` inclusive, `end` exclusive, but a date-only
   * `end` includes that whole day. Formats: `YYYY-MM-DD`,
   * `YYYY-MM-DDTHH:MM[:SS]`, optionally ending in `Z` or `±HH:MM` (then
   * `timeZone` is ignored for that bound). At least one bound; `end` before
   * (or equal to) `start` is a config error.
   */
  | { type: "dateWindow"; start?: string; end?: string; /** IANA zone; default "UTC". */ timeZone?: string }
  /** Weekly hours in a named IANA timezone; holds inside any slot. */
  | { type: "schedule"; timeZone: string; /** 1 to 64 slots. */ slots: ScheduleSlot[] }
  /** The page has been scrolled at least `percent` (0-100) during this page view. */
  | { type: "scrollDepth"; percent: number }
  /** The element matched by this CSS selector is at least partly in view. */
  | { type: "elementVisible"; selector: string }
  /** A page predicate registered under `name` returned true (a throwing predicate counts as false). */
  | { type: "predicate"; name: string }
  /** An agent is available (from `getAgentAvailability`). */
  | { type: "agentAvailable" }
  /** Every child holds (an empty list holds). Nesting depth at most 8; at most 128 conditions per rule. */
  | { type: "all"; of: ProactiveCondition[] }
  /** At least one child holds (an empty list does not). */
  | { type: "any"; of: ProactiveCondition[] }
  /** The child does not hold. */
  | { type: "not"; of: ProactiveCondition };

/** One weekly slot. */
export interface ScheduleSlot {
  /** `mon`..`sun` (or full names), `weekdays`, `weekend`, `daily`; case-insensitive. */
  days: string[];
  /** `HH:MM` local time. */
  from: string;
  /** `HH:MM` local time, may be `24:00`; before `from` means the slot runs past midnight. Must differ from `from`. */
  to: string;
}

/**
 * The invite. Text fields are templates: `{name}` is replaced by a built-in
 * value (`pageUrl`, `pagePath`, `referrer` a.k.a. `previousPage`,
 * `timeOnPage` and `timeOnSite` in whole seconds, `visitCount`, `country`,
 * `ruleId`) or by page data of that name (e.g. `{caseId}`, supplied by the
 * page). `{{` and `}}` are literal braces. The result is plain text, shown
 * with `textContent`, never parsed as HTML.
 */
export interface ProactiveAction {
  /** The invite text (at most 2000 bytes). Default "Hi! Have any questions? I'm here to help." */
  message?: string;
  /**
   * Entries merged into the chat context when the invite is accepted
   * (displayable). String values are templates; a value that is exactly
   * `{timeOnPage}`, `{timeOnSite}` or `{visitCount}` is sent as a number.
   * `Proactive Chat: "True"` is always added and cannot be overridden.
   * At most 99 entries; sent in name order.
   */
  context?: Record<string, string | number | boolean>;
  /** A first question shown in the invite before routing (scenario 8), e.g. "Do you wish to start a chat?". */
  prechatQuestion?: string;
  /** Run the pre-chat survey after acceptance. Default true. */
  showPrechat?: boolean;
  /** Close the invite after this long if ignored: 0 (never) or 1000 to 86400000. Default 60000. */
  autoCloseMs?: number;
  /** Reset the SDK's visit counter when the invite shows (scenario 2). Default false. */
  resetVisitCount?: boolean;
  /**
   * A placeholder with no value: `"empty"` removes it (default), `"keep"`
   * leaves `{name}` visible, `"skip"` holds the invite back until the data
   * arrives.
   */
  missingData?: "empty" | "keep" | "skip";
}

/** Per-rule caps (the engine-wide ones are in `ProactiveSettings`). */
export interface ProactiveCaps {
  /** Show at most once per page view, per session (default) or per visitor ever; `"none"` for no such limit. */
  once?: "none" | "pageView" | "session" | "visitor";
  /** After the visitor dismisses this rule's invite, wait this long before it may show again. Default 0. */
  cooldownAfterDismissMs?: number;
  /** Show only while an agent is available. Default false. */
  requireAgentAvailable?: boolean;
}

/** `event.detail` of `lcw:proactiveInviteShown`, `...Accepted`, `...Dismissed`, `...Expired`. */
export interface ProactiveInviteDetail {
  /** The rule that fired. */
  ruleId: string;
}
