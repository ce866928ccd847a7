/** Widget appearance (the widget configuration's `theme`). Every field is optional. */
export interface WidgetTheme {
  /** Theme colour (CSS colour: `#rgb`, `#rrggbb`, `rgb()`, `hsl()` or a name). */
  color?: string;
  /** Text colour on the theme colour. */
  textColor?: string;
  /** Launcher and window side. */
  position?: "left" | "right";
  /** Offset from the side in px (0 to 400). */
  offsetX?: number;
  /** Offset from the bottom in px (0 to 400). */
  offsetY?: number;
  /** Launcher text (default: "Chat with us", translated). */
  launcherText?: string;
  /** Launcher image URL (http(s), blob: or relative). */
  launcherImage?: string | null;
  /** Concierge header name. */
  headerName?: string;
  /** Concierge header title. */
  headerTitle?: string;
  /** Concierge header avatar URL. */
  headerAvatar?: string | null;
  /** Avatars beside agent messages. */
  showAvatars?: boolean;
  /** CSS font-family list. */
  fontFamily?: string;
  /** Corner radius in px (0 to 32). */
  cornerRadius?: number | null;
  /** Hide the launcher (the page opens the window itself). */
  hideLauncher?: boolean;
  /** `false`: leave the page's title alone. By default, while the page is
   * hidden, its title counts the agent's messages that came (`(2) Shop`)
   * until the visitor comes back. */
  titleAlert?: boolean;
  /** `false`: no chime. By default a short chime plays for an agent's
   * message while the window is closed or the page is hidden or out of
   * focus, and the window's header has a toggle for it (the visitor's
   * choice is kept while storage consent allows). */
  sound?: boolean;
}

/** One field of the pre-chat or offline form. */
export interface WidgetFormField {
  /** Answer key: `name`, `email`, `department`, `message`, `phone` or any other. */
  name: string;
  /** Label (default: the built-in, translated label for the known names). */
  label?: string;
  kind?: "text" | "email" | "tel" | "textarea" | "select" | "consent";
  required?: boolean;
  /** Choices of a `select`. */
  options?: string[];
}

/** A pre-chat or offline form. */
export interface WidgetForm {
  enabled?: boolean;
  greeting?: string;
  fields?: WidgetFormField[];
}

/** Configuration of `mountWidgetPreview` (the UI part of the widget configuration). */
export interface WidgetPreviewConfig {
  theme?: WidgetTheme;
  preChat?: WidgetForm;
  offlineForm?: WidgetForm;
  ratingEnabled?: boolean;
  /** Label overrides: language tag -> label key -> text (`field.<name>` for form labels). */
  translations?: Record<string, Record<string, string>>;
  /** Language when the browser's has no translation (default English). */
  fallbackLanguage?: string;
  /** Attachment rules: MIME allowlist with `type/*` and `*`; size up to 40 MB. */
  files?: { enabled?: boolean; allowedMimeTypes?: string[]; maxSizeBytes?: number };
  /** Longest message in characters (0: no limit). */
  maxMessageChars?: number;
  /** Language to use instead of `navigator.languages`. */
  locale?: string | null;
  /** Page the pop-out button opens; no button when absent. */
  popoutUrl?: string | null;
}

/** The conversation phase the widget shows. */
export type WidgetPhase =
  | { phase: "idle" }
  | { phase: "prechat" }
  | { phase: "connecting" }
  | { phase: "queued"; position: number; waitSecs?: number | null }
  | { phase: "chatting"; agentName?: string | null }
  | { phase: "ended"; canRate?: boolean }
  | { phase: "offline" };

/** Delivery state of a visitor message. */
export type WidgetMessageStatus = "sending" | "sent" | "failed" | "seen";

/** A message to show (text is plain text, never HTML). */
export interface WidgetMessage {
  id: string;
  from: { kind: "visitor" } | { kind: "system" } | { kind: "agent"; name?: string; avatar?: string | null };
  text?: string;
  /** Milliseconds since the epoch. */
  atMs?: number;
  status?: WidgetMessageStatus;
  attachment?: { name?: string; mimeType?: string; size?: number; url?: string | null } | null;
  /** Its place in the conversation, once stored (0 or absent before). */
  seq?: number;
}

/** What the visitor did, as reported to `mountWidgetPreview`'s callback. */
export type WidgetAction =
  | { type: "sendText"; text: string }
  | { type: "sendFile"; file: File }
  | { type: "submitPrechat"; answers: Record<string, string> }
  | { type: "submitOffline"; answers: Record<string, string> }
  | { type: "rate"; thumbsUp: boolean; comment: string | null }
  | { type: "endChat" }
  | { type: "typing"; isTyping: boolean }
  | { type: "launcherClicked" }
  | { type: "poppedOut" };

/**
 * The default widget UI driven from JavaScript (tests, or a page that runs its own session).
 * An argument of the wrong type or shape throws a `LiveChatSdkError` with `code`
 * `LCW_INVALID_ARGUMENT`; any call after `unmount()` one with `LCW_DESTROYED`.
 */
export class WidgetPreview {
  private constructor();
  free(): void;
  /** Opens the window (`lcw:onMaximize`). */
  open(): void;
  /** Minimizes to the launcher (`lcw:onMinimize`). */
  minimize(): void;
  /** Closes the window (`lcw:onClose`). */
  hide(): void;
  setPhase(phase: WidgetPhase): void;
  /** Adds a message, or replaces the one with the same id. */
  addMessage(message: WidgetMessage): void;
  setStatus(id: string, status: WidgetMessageStatus): void;
  setTyping(agentTyping: boolean): void;
  /** Switches the language at run time (`ar` lays out right to left). */
  setLocale(tag: string): void;
  /** The current language tag. */
  readonly locale: string;
  readonly isOpen: boolean;
  setTheme(theme: WidgetTheme): void;
  /** Upload progress 0..1 on a message; 1 removes the bar. */
  setUploadProgress(id: string, fraction: number): void;
  /** An object URL to preview a file the visitor sent; the widget revokes it. */
  localUrl(file: File): string;
  /** Opens `popoutUrl` in a new window; false if none or blocked. */
  popOut(): boolean;
  /** Removes the widget from the page. */
  unmount(): void;
}

/**
 * Mounts the default widget UI into a shadow root on `<body>`. Resolves
 * once it is on the page: the preview's code is a chunk of its own
 * (`lcw_sdk_preview.wasm`), fetched the first time. When that fetch fails it
 * rejects with an `Error` whose `code` is 7, and the next call fetches again.
 * An `onAction` that is not a function rejects with `LCW_INVALID_ARGUMENT`.
 */
export function mountWidgetPreview(config: WidgetPreviewConfig | undefined, onAction: (action: WidgetAction) => void): Promise<WidgetPreview>;
