// Entry point: read our own <script> tag (backend URL, data-* settings), mount one
// shadow-rooted host element, and publish `window.chatbubble`, replaying the calls a page
// queued on the stub before we loaded. Nothing here may throw into the host page.

import { adoptStyles, guard, report, whenBody } from "./dom";
import { Events } from "./events";
import { BLOCKS_KEY } from "./blocks/types";
import { EXTRAS_KEY } from "./extras/types";
import { HIGHLIGHT_KEY } from "./highlight/types";
import { LOGIN_KEY } from "./login/types";
import { bare, own } from "./json";
import { MATH_KEY } from "./math/types";
import { MEDIA_KEY } from "./media/types";
import { NUDGES_KEY } from "./nudges/types";
import { RECORDER_KEY } from "./recorder/types";
import { RENDER_KEY } from "./render/types";
import { UPLOADS_KEY } from "./uploads/types";
import { pageConfig, scriptTag, warnings, widgetConfig } from "./page-config";
import { readContext } from "./page-context";
import css from "./styles.css";
import { App, type AppView } from "./ui/app";

/**
 * The only global the widget defines. Before it loads, a page may install the one-line stub
 * `window.chatbubble=window.chatbubble||function(){(chatbubble.q=chatbubble.q||[]).push(arguments)}`
 * and call `chatbubble("open")`, `chatbubble("on", "message", cb)`...; those calls are replayed.
 * Once loaded, `chatbubble("open")` and `chatbubble.open()` both work.
 */
export interface ChatbubbleApi {
  (method: string, ...args: unknown[]): unknown;
  readonly version: string;
  open(): void;
  close(): void;
  toggle(): void;
  /** Opens the panel and sends `text` as the visitor. */
  send(text: string): void;
  /** Starts over: stops any answer and clears the conversation. */
  newChat(): void;
  /** "light", "dark", "auto", or palette overrides such as `{primary: "#0e7490"}`. */
  setTheme(theme: unknown): void;
  /** `chatbubble("context", {plan: "pro"})`: values sent with each message (`request.page.context`). */
  context(values: object): void;
  /** The host site's signed token (JWT) for its logged-in visitor, sent with every request. */
  identify(token: string): void;
  /** Forgets the visitor's token and starts a new conversation. */
  logout(): void;
  /**
   * Events: "open", "close", "message" ({role, content}), "error" ({message, code}), "identify"
   * ({message, code}: the token was refused; answer with `identify`).
   */
  on(event: string, callback: (detail?: unknown) => void): () => void;
}

declare global {
  interface Window {
    chatbubble?: unknown;
  }
}

const HOST_TAG = "chatbubble-widget";
const METHODS = [
  "open",
  "close",
  "toggle",
  "send",
  "newChat",
  "setTheme",
  "context",
  "identify",
  "logout",
] as const;
/** The chunks loaded on first use (GET /widget/<name>.js), by the key each hands its code over with. */
const CHUNKS = [
  RENDER_KEY,
  EXTRAS_KEY,
  MEDIA_KEY,
  UPLOADS_KEY,
  RECORDER_KEY,
  BLOCKS_KEY,
  HIGHLIGHT_KEY,
  LOGIN_KEY,
  MATH_KEY,
  NUDGES_KEY,
];

function alreadyLoaded(existing: unknown): boolean {
  return (
    typeof existing === "function" && Object.prototype.hasOwnProperty.call(existing, "version")
  );
}

function boot(): void {
  const tag = scriptTag(); // must run synchronously: currentScript is gone after the first await
  const stub: unknown = window.chatbubble;
  if (alreadyLoaded(stub)) return;
  const notes = warnings();
  const widget = widgetConfig(tag, notes.warn);
  const page = pageConfig(tag, notes.warn);
  readContext(tag, notes.warn);
  notes.flush();
  if (!widget) {
    report("cannot tell where the chat server is: load widget.js from an http(s) <script src>");
    return;
  }
  const events = Events();
  let app: AppView | null = null;
  const pending: unknown[][] = [];

  const call = (method: unknown, args: unknown[]): unknown => {
    if (method === "on") return events.on(args[0], args[1]);
    if (typeof method !== "string" || METHODS.indexOf(method as never) < 0) return undefined;
    if (!app) pending.push([method, ...args]);
    else {
      try {
        (app[method as (typeof METHODS)[number]] as (arg?: unknown) => void)(args[0]);
      } catch (error) {
        report(error);
      }
    }
    return undefined;
  };
  const api = function chatbubble(method: unknown, ...args: unknown[]) {
    return call(method, args);
  } as ChatbubbleApi;
  const fields = bare({ version: __VERSION__ }) as Record<string, unknown>;
  for (let i = 0; i < METHODS.length; i++) {
    const method = METHODS[i] as string;
    fields[method] = (arg?: unknown) => void call(method, [arg]);
  }
  fields["on"] = (name: unknown, callback: unknown) => events.on(name, callback);
  // Each chunk hands its exports over through a one-shot, non-enumerable setter.
  const hooks = Object.create(null) as Record<string, (exports: unknown) => void>;
  for (let i = 0; i < CHUNKS.length; i++) {
    const key = CHUNKS[i] as string;
    Object.defineProperty(api, Symbol.for(key), {
      set(value: unknown) {
        const take = hooks[key];
        delete hooks[key];
        if (take) guard(take)(value);
      },
    });
  }
  window.chatbubble = Object.freeze(Object.assign(api, fields));

  // Calls queued on the stub: `on` takes effect at once, the rest once the app exists.
  const queue = own(stub, "q");
  if (Array.isArray(queue)) {
    for (let i = 0; i < queue.length; i++) {
      const args = Array.prototype.slice.call(queue[i] as ArrayLike<unknown>) as unknown[];
      call(args[0], args.slice(1));
    }
  }

  whenBody(() => {
    if (document.querySelector(HOST_TAG)) return;
    const host = document.createElement(HOST_TAG);
    const shadow = host.attachShadow(bare<ShadowRootInit>({ mode: "open", delegatesFocus: false }));
    const setSheets = adoptStyles(shadow, css);
    app = App(widget, page, events, setSheets, hooks);
    shadow.append(app.el);
    document.body.append(host);
    for (let i = 0; i < pending.length; i++) {
      const [method, ...args] = pending[i] as unknown[];
      call(method, args);
    }
  });
}

try {
  boot();
} catch (error) {
  report(error);
}
