// The typed surface of the npm package (`chatbubble-widget`): what `mount` takes and returns.
// One option per `data-*` attribute of the script tag (camelCase of the name without `data-`),
// one handle method per `chatbubble(...)` command; docs/npm.md holds the table that a test keeps
// in step with widget/src/page-config.ts and this file.

/** Where the chat sits: a launcher in a corner, inside an element, or over the whole viewport. */
export type Mode = "bubble" | "inline" | "fullscreen";

/** `"light"`, `"dark"`, `"auto"`, or palette overrides such as `{ primary: "#0e7490" }`. */
export type Theme = "light" | "dark" | "auto" | Readonly<Record<string, string>>;

/** JSON values the page gives the chat function (`request.page.context`; at most 4 KB). */
export type Context = Readonly<Record<string, unknown>>;

export interface MountOptions {
  /** The backend's origin (and path prefix, if any), e.g. `"https://bot.example.com"`. */
  server: string;
  /** `data-mode`: `"bubble"` (default), `"inline"` (fills `target`) or `"fullscreen"`. */
  mode?: Mode;
  /** With `mode: "inline"`: the element to fill, or a CSS selector naming it. */
  target?: Element | string;
  position?: "left" | "right";
  offsetX?: number;
  offsetY?: number;
  primaryColor?: string;
  theme?: "light" | "dark" | "auto";
  open?: boolean;
  launcherLabel?: string;
  launcherIcon?: string;
  greeting?: string;
  greetingDelay?: number;
  notice?: string;
  consent?: boolean | string;
  privacyUrl?: string;
  zIndex?: number;
  locale?: string;
  strings?: Readonly<Record<string, string>>;
  userToken?: string;
  context?: Context;
  /** `false` is `data-page-context="off"`: nothing about the page is sent. */
  pageContext?: boolean;
}

/** What each event hands its listeners. */
export interface EventMap {
  open: undefined;
  close: undefined;
  /** A message shown in the chat: the visitor's when sent, the assistant's when finished. */
  message: { readonly role: "user" | "assistant"; readonly content: string };
  error: { readonly message: string; readonly code: string };
  /** The server refused the visitor's token: answer with `identify(freshToken)`. */
  identify: { readonly message: string; readonly code: string };
}

export type EventName = keyof EventMap;

/** One chat on the page; calls made before it is ready are kept and replayed. */
export interface ChatHandle {
  /** Resolves once the chat is on the page; rejects with the reason it cannot be. */
  readonly ready: Promise<void>;
  open(): void;
  close(): void;
  toggle(): void;
  /** Opens the chat and sends `text` as the visitor. */
  send(text: string): void;
  /** Starts over: stops any answer and clears the conversation. */
  newChat(): void;
  identify(token: string): void;
  logout(): void;
  setContext(values: Context): void;
  setTheme(theme: Theme): void;
  setStrings(values: Readonly<Record<string, string>>): void;
  /** Listens to this chat's events; returns the function that stops listening. */
  on<K extends EventName>(event: K, listener: (detail: EventMap[K]) => void): () => void;
  /** Takes the chat off the page: no element, listener, timer or request of it is left. */
  destroy(): void;
}
