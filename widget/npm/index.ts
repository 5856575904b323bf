// The npm package's entry (`chatbubble-widget`): `mount(options)` puts one chat on the page. It
// bundles no copy of the widget: it loads the backend's own `<server>/widget.js` (always the
// version that matches the server) with the options as the data attributes of that <script>,
// and hands it, through the MOUNT property (widget/src/page-config.ts), the element to fill and
// the protocol this package speaks. Nothing here touches `window` or `document` at import, so a
// server-side render can import it.

import { PROTOCOL } from "../src/protocol";
import type { ChatHandle, Context, EventMap, EventName, MountOptions, Theme } from "./types";

export type { ChatHandle, Context, EventMap, EventName, Mode, MountOptions, Theme } from "./types";
export { PROTOCOL };

/** The property of the <script> element widget.js reads (widget/src/page-config.ts `Mount`). */
const MOUNT = Symbol.for("chatbubble.mount");

/** What widget.js resolves a mount to (widget/src/ui/app.ts `AppView`): the calls used here. */
interface App {
  open(): void;
  close(): void;
  toggle(): void;
  send(text: string): void;
  newChat(): void;
  identify(token: string): void;
  logout(): void;
  context(values: Context): void;
  setTheme(theme: Theme): void;
  strings(values: Readonly<Record<string, string>>): void;
  on(event: string, listener: (detail?: unknown) => void): () => void;
  unmount(): void;
}
type Call = (app: App) => void;

/** The options that are not data attributes. */
const NOT_ATTRIBUTES: readonly string[] = ["server", "target"];

/** `userToken` → `data-user-token`. */
export const attributeName = (option: string): string =>
  "data-" + option.replace(/[A-Z]/g, (letter) => "-" + letter.toLowerCase());

/** The data attributes of the <script> for `options` (objects as JSON, booleans as words). */
export function attributes(options: MountOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || value === null || NOT_ATTRIBUTES.includes(name)) continue;
    if (name === "pageContext") {
      if (value === false) out["data-page-context"] = "off";
      continue;
    }
    out[attributeName(name)] = typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return out;
}

/** The one message a protocol mismatch gives (console, the target or a corner, `ready`). */
export function protocolMessage(server: string, spoken: number | undefined): string {
  const theirs =
    spoken === undefined
      ? "is too old for it (its widget.js states no protocol)"
      : `speaks protocol ${spoken}`;
  return (
    `chatbubble-widget speaks protocol ${PROTOCOL}, but the chat server at ${server} ${theirs}: ` +
    `install the chatbubble-widget version made for that server (the same version number).`
  );
}

/** Puts one chat on the page; calls made before it is ready are kept and replayed in order. */
export function mount(options: MountOptions): ChatHandle {
  const server = String(options.server || "").replace(/\/+$/, "");
  const queued: Call[] = [];
  const listening = new Set<{
    event: string;
    listener: (detail?: unknown) => void;
    off?: () => void;
  }>();
  let app: App | null = null;
  let destroyed = false;
  let settle: { ok: () => void; fail: (error: Error) => void } | null = null;
  let script: HTMLScriptElement | null = null;
  let notice: HTMLElement | null = null;

  const ready = new Promise<void>((ok, fail) => (settle = { ok, fail }));
  ready.catch(() => undefined); // the failure is reported once, below; awaiting it still throws
  const resolve = (): void => {
    settle?.ok();
    settle = null;
  };
  const reject = (message: string, where: Element | null): void => {
    if (!settle) return;
    const error = new Error(message);
    settle.fail(error);
    settle = null;
    console.error(error.message);
    if (where && !destroyed) {
      notice = document.createElement("div");
      notice.setAttribute("role", "alert");
      notice.setAttribute("data-chatbubble-error", "");
      notice.textContent = message;
      if (where === document.body)
        notice.style.cssText =
          "position:fixed;bottom:20px;right:20px;max-width:320px;padding:12px;z-index:2147483000;" +
          "background:#fff;color:#b00020;border:1px solid #b00020;border-radius:8px;font:14px sans-serif";
      where.append(notice);
    }
    removeScript();
  };
  const removeScript = (): void => {
    script?.remove();
    script = null;
  };
  const call = (run: Call) => (): void => {
    if (destroyed) return;
    if (app) run(app);
    else queued.push(run);
  };

  const start = (): void => {
    if (typeof document === "undefined") return reject("chatbubble: mount() needs a browser", null);
    if (!/^https?:\/\//i.test(server))
      return reject(`chatbubble: server must be an http(s) URL, not "${options.server}"`, null);
    const mode = options.mode || "bubble";
    let target: Element | null = document.body;
    if (mode === "inline") {
      try {
        target =
          typeof options.target === "string"
            ? document.querySelector(options.target)
            : options.target || null;
      } catch {
        target = null;
      }
      if (!target) return reject("chatbubble: mode inline needs a target element", null);
    }
    const where = target;
    const tag = document.createElement("script");
    for (const [name, value] of Object.entries(attributes({ ...options, mode })))
      tag.setAttribute(name, value);
    const handover: {
      target: Element;
      expects: number;
      protocol?: number;
      ready(app: unknown): void;
      fail(error: Error): void;
    } = {
      target: where,
      expects: PROTOCOL,
      ready(value) {
        const given = value as App;
        if (handover.protocol !== PROTOCOL || destroyed) {
          given.unmount();
          if (!destroyed) reject(protocolMessage(server, handover.protocol), where);
          return;
        }
        app = given;
        for (const entry of listening) entry.off = given.on(entry.event, entry.listener);
        for (const run of queued.splice(0)) run(given);
        resolve();
      },
      fail(error) {
        if (handover.protocol !== PROTOCOL)
          reject(protocolMessage(server, handover.protocol), where);
        else reject(error.message, where);
      },
    };
    Object.defineProperty(tag, MOUNT, { value: handover });
    tag.onload = () => {
      // widget.js has run: a server without the mount hand-over never answers it.
      if (settle && handover.protocol === undefined)
        reject(protocolMessage(server, undefined), where);
    };
    tag.onerror = () => reject(`chatbubble: ${server}/widget.js did not load`, where);
    tag.src = server + "/widget.js";
    script = tag;
    document.head.append(tag);
  };
  start();

  return {
    ready,
    open: call((chat) => chat.open()),
    close: call((chat) => chat.close()),
    toggle: call((chat) => chat.toggle()),
    send: (text) => call((chat) => chat.send(text))(),
    newChat: call((chat) => chat.newChat()),
    identify: (token) => call((chat) => chat.identify(token))(),
    logout: call((chat) => chat.logout()),
    setContext: (values) => call((chat) => chat.context(values))(),
    setTheme: (theme) => call((chat) => chat.setTheme(theme))(),
    setStrings: (values) => call((chat) => chat.strings(values))(),
    on<K extends EventName>(event: K, listener: (detail: EventMap[K]) => void): () => void {
      const entry: { event: string; listener: (detail?: unknown) => void; off?: () => void } = {
        event,
        listener: listener as (detail?: unknown) => void,
      };
      listening.add(entry);
      if (app) entry.off = app.on(event, entry.listener);
      return () => {
        listening.delete(entry);
        entry.off?.();
      };
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      queued.length = 0;
      for (const entry of listening) entry.off?.();
      listening.clear();
      if (app) app.unmount();
      app = null;
      notice?.remove();
      notice = null;
      if (settle) {
        const error = new Error("chatbubble: destroyed before it was ready");
        error.name = "AbortError";
        settle.fail(error);
        settle = null;
      }
      removeScript();
    },
  };
}
