// Entry point: read our own <script> tag (backend URL, data-* settings), mount one
// shadow-rooted host element, and publish `window.chatbubble`, replaying the calls a page
// queued on the stub before we loaded. Nothing here may throw into the host page.

import { adoptStyles, guard, report, whenBody } from "./dom";
import { Events } from "./events";
import { BLOCKS_KEY } from "./blocks/types";
import { CONSENT_KEY } from "./consent/types";
import { EXTRAS_KEY } from "./extras/types";
import { HIGHLIGHT_KEY } from "./highlight/types";
import { LOGIN_KEY } from "./login/types";
import { LOCALE_KEY, readStrings, t } from "./i18n";
import { bare, encodeJson, own, type Json } from "./json";
import { MATH_KEY } from "./math/types";
import { MEDIA_KEY } from "./media/types";
import { NUDGES_KEY } from "./nudges/types";
import { RECORDER_KEY } from "./recorder/types";
import { lend } from "./translate";
import { UPLOADS_KEY } from "./uploads/types";
import { MOUNT, pageConfig, scriptTag, warnings, widgetConfig, type Mount } from "./page-config";
import { readContext } from "./page-context";
import { PROGRESS_KEY } from "./progress/types";
import { PURIFY_KEY } from "./purify/types";
import { PROTOCOL } from "./protocol";
import { PANEL_KEY, type AppView } from "./panel/types";
import type { ChunkHooks } from "./shell/loader";
import { lent } from "./shell/lent";
import { Shell } from "./shell/shell";
import css from "./shell/shell.css";

/**
 * The only global the widget defines. Before it loads, a page may install the one-line stub
 * `window.chatbubble=window.chatbubble||function(){(chatbubble.q=chatbubble.q||[]).push(arguments)}`
 * and call `chatbubble("open")`, `chatbubble("on", "message", cb)`...; those calls are replayed.
 * Once loaded, `chatbubble("open")` and `chatbubble.open()` both work.
 */
export interface ChatbubbleApi {
  (method: string, ...args: unknown[]): unknown;
  readonly version: string;
  /** The protocol this widget.js speaks with the npm package that loads it (protocol.ts). */
  readonly protocol: number;
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
  /** `chatbubble("strings", {composer_send: "Ask"})`: the site's own words (widget/locales/en.json keys). */
  strings(values: object): void;
  /**
   * Adds an inline chat filling `target` (an element or a CSS selector), configured as the
   * script tag is (`options`: the same names as its `data-*` attributes, e.g. `{theme: "dark"}`);
   * resolves to that chat's own API (`open`, `send`, `newChat`, ..., `unmount`).
   */
  mount(target: Element | string, options?: Record<string, string>): Promise<AppView>;
  /**
   * Events: "open", "close", "message" ({role, content}), "error" ({message, code}), "identify"
   * ({message, code}: the token was refused; answer with `identify`: a new token sends the
   * refused message again).
   */
  on(event: string, callback: (detail?: unknown) => void): () => void;
}

declare global {
  interface Window {
    chatbubble?: unknown;
  }
}

const HOST_TAG = "chatbubble-widget";
/** Every widget on the page shares the first one's `window.chatbubble`, and this, under it. */
const SHARED = Symbol.for("chatbubble.page");
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
  "strings",
  "on",
  "mount",
] as const;
type Method = Exclude<(typeof METHODS)[number], "on" | "mount">;
/** Said to every widget on the page; the other methods go to the bubble (else the first widget). */
const EVERY: readonly string[] = ["setTheme", "context", "identify", "logout", "strings"];
/** The chunks loaded on first use (GET /widget/<name>.js), by the key each hands its code over with. */
const CHUNKS = [
  PANEL_KEY,
  PURIFY_KEY,
  EXTRAS_KEY,
  MEDIA_KEY,
  UPLOADS_KEY,
  RECORDER_KEY,
  BLOCKS_KEY,
  HIGHLIGHT_KEY,
  LOGIN_KEY,
  MATH_KEY,
  NUDGES_KEY,
  LOCALE_KEY,
  CONSENT_KEY,
  PROGRESS_KEY,
];

/** What the widgets on one page share: the events, the chunks' hand-over, the widgets. */
interface Shared {
  readonly events: Events;
  readonly hooks: ChunkHooks;
  readonly apps: [AppView, string][];
  /** `window.chatbubble(...)`, and the calls made before any widget was on the page. */
  readonly call: (args: unknown[]) => unknown;
  readonly pending: unknown[][];
  /** The modules each build lends its panel chunks (shell/lent.ts), by build. */
  readonly libs: Record<string, unknown>;
}

function boot(): void {
  const tag = scriptTag(); // must run synchronously: currentScript is gone after the first await
  const mount = tag ? (tag as unknown as Record<symbol, Mount | undefined>)[MOUNT] : undefined;
  if (mount) {
    mount.protocol = PROTOCOL;
    if (mount.expects !== PROTOCOL) return mount.fail(Error("chatbubble: protocol " + PROTOCOL));
  }
  lend(t);
  const notes = warnings();
  const widget = widgetConfig(tag, notes.warn);
  const page = pageConfig(tag, notes.warn);
  readContext(tag, notes.warn);
  readStrings(tag, notes.warn);
  notes.flush();
  if (!widget || !tag) {
    report("cannot tell where the chat server is: load widget.js from an http(s) <script src>");
    return;
  }
  const existing = window.chatbubble as Record<symbol, Shared> | undefined;
  // The first widget on the page publishes `window.chatbubble`; each later <script> (a second
  // tag, or `mount`) runs its own copy of this bundle and joins it.
  const shared =
    typeof existing === "function" && existing[SHARED] ? existing[SHARED] : publish(tag);
  // (A page's first chat of an older build shares no `libs`: this build's panels then fail to
  // load, with a warning, rather than run another build's code.)
  if (shared.libs) shared.libs[__LIB__] ||= lent;

  const start = (): void => {
    const inline = page.mode === "inline";
    let parent: Element | null = document.body;
    if (mount) parent = mount.target;
    else if (inline) {
      try {
        parent = document.querySelector(page.target || "-");
      } catch {
        parent = null;
      }
    }
    if (!parent) return report(`data-target="${page.target}" matches no element`);
    // One bubble (or fullscreen chat) per page, one chat per element: a tag pasted twice is
    // quietly one chat; a second mount into an element is refused.
    for (const other of Array.from(document.querySelectorAll(HOST_TAG))) {
      if (inline ? other.parentNode === parent : other.getAttribute("data-mode") !== "inline")
        return mount && mount.fail(new Error("chatbubble: a chat is there already"));
    }
    const host = document.createElement(HOST_TAG);
    host.setAttribute("data-mode", page.mode);
    const shadow = host.attachShadow(bare<ShadowRootInit>({ mode: "open", delegatesFocus: false }));
    const setSheets = adoptStyles(shadow, css);
    const app = Shell(widget, page, Events(shared.events), setSheets, shared.hooks);
    shadow.append(app.el);
    parent.append(host);
    const apps = shared.apps;
    apps.push([app, page.mode]);
    const unmount = app.unmount;
    app.unmount = () => {
      unmount();
      const at = apps.findIndex((entry) => entry[0] === app);
      if (at >= 0) apps.splice(at, 1);
    };
    if (mount) mount.ready(app);
    if (apps.length === 1) {
      const queued = shared.pending.splice(0);
      for (let i = 0; i < queued.length; i++) shared.call(queued[i] as unknown[]);
    }
  };
  // An inline chat waits for the page's elements (its script may run before they are parsed).
  if (page.mode !== "inline" || mount || document.readyState !== "loading") whenBody(start);
  else document.addEventListener("DOMContentLoaded", guard(start));
}

/** Publishes `window.chatbubble` (replaying the calls queued on the page's stub). */
function publish(tag: HTMLScriptElement): Shared {
  const stub: unknown = window.chatbubble;
  const events = Events();
  const hooks: ChunkHooks = { take: Object.create(null), busy: Object.create(null) };
  const pending: unknown[][] = [];
  const apps: [AppView, string][] = [];
  const call = ([method, ...args]: unknown[]): unknown => {
    if (method === "on") return events.on(args[0], args[1]);
    if (method === "mount") return mountInto(tag, args[0], args[1]);
    if (typeof method !== "string" || METHODS.indexOf(method as never) < 0) return undefined;
    if (!apps.length) pending.push([method, ...args]);
    const chosen =
      EVERY.indexOf(method) >= 0 ? apps : apps.filter((entry) => entry[1] !== "inline");
    const targets = chosen.length ? chosen : apps.slice(0, 1);
    for (let i = 0; i < targets.length; i++) {
      try {
        ((targets[i] as [AppView, string])[0][method as Method] as (arg?: unknown) => void)(
          args[0],
        );
      } catch (error) {
        report(error);
      }
    }
    return undefined;
  };
  const shared: Shared = { events, hooks, apps, call, pending, libs: Object.create(null) };
  const api = function chatbubble(...args: unknown[]) {
    return call(args);
  } as ChatbubbleApi;
  const fields = bare({ version: __VERSION__, protocol: PROTOCOL }) as Record<string, unknown>;
  for (let i = 0; i < METHODS.length; i++) {
    const method = METHODS[i] as string;
    fields[method] = (...args: unknown[]) => call([method, ...args]);
  }
  // Each chunk hands its exports over through a one-shot, non-enumerable setter.
  for (let i = 0; i < CHUNKS.length; i++) {
    const key = CHUNKS[i] as string;
    Object.defineProperty(api, Symbol.for(key), {
      set(value: unknown) {
        const take = hooks.take[key];
        delete hooks.take[key];
        if (take) guard(take)(value);
      },
    });
  }
  Object.defineProperty(api, SHARED, { value: shared });
  window.chatbubble = Object.freeze(Object.assign(api, fields));

  // Calls queued on the stub: `on` takes effect at once, the rest once a widget exists.
  const queue = own(stub, "q");
  if (Array.isArray(queue)) {
    for (let i = 0; i < queue.length; i++) {
      call(Array.prototype.slice.call(queue[i] as ArrayLike<unknown>) as unknown[]);
    }
  }
  return shared;
}

/**
 * `chatbubble.mount(target, options)`: another run of this script (its own widget, as a second
 * tag would be), told by a property of its <script> element which element to fill.
 */
function mountInto(tag: HTMLScriptElement, target: unknown, options: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const element = typeof target === "string" ? document.querySelector(target) : target;
    if (!(element instanceof Element)) throw new Error("chatbubble mount: no such element");
    const script = document.createElement("script");
    const names = tag.getAttributeNames();
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      if (name.indexOf("data-") === 0) script.setAttribute(name, tag.getAttribute(name) || "");
    }
    if (options && typeof options === "object") {
      const keys = Object.keys(options);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const value = (options as Record<string, unknown>)[key];
        script.setAttribute(
          "data-" + key,
          value && typeof value == "object" ? encodeJson(value as Json) : String(value),
        );
      }
    }
    script.setAttribute("data-mode", "inline");
    script.removeAttribute("data-target");
    const mount: Mount = { target: element, expects: PROTOCOL, ready: resolve, fail: reject };
    Object.defineProperty(script, MOUNT, { value: mount });
    script.onerror = () => reject(new Error("chatbubble mount: widget.js did not load"));
    script.src = tag.src;
    document.head.append(script);
  });
}

try {
  boot();
} catch (error) {
  report(error);
}
