// What the page asks for on the script tag (`data-*`), read once at startup and frozen. Bad
// values are ignored, with one console warning for all of them; the tag overrides the server.

import { hexColor, webUrl, type WidgetConfig } from "./config";
import { match } from "./i18n";

export type ThemeMode = "light" | "dark" | "auto";
/** Where the chat sits: a launcher in a corner, inside a page element, or over the whole viewport. */
export type DisplayMode = "bubble" | "inline" | "fullscreen";

/**
 * Set by `chatbubble("mount", ...)` and the npm package on the script they add: the element to
 * fill (the body for a bubble or fullscreen chat), the protocol the loader speaks, its callbacks.
 * widget.js writes `protocol` (protocol.ts) before anything else and mounts nothing when
 * `expects` differs: the loader then tells the visitor and the developer.
 */
export const MOUNT = Symbol.for("chatbubble.mount");
export interface Mount {
  readonly target: Element;
  readonly expects: number;
  protocol?: number;
  ready(app: unknown): void;
  fail(error: Error): void;
}

/** The `data-*` attributes of the widget's `<script>` tag. */
export interface PageConfig {
  /** `data-mode`: bubble (default), inline (fills `data-target`) or fullscreen. */
  readonly mode: DisplayMode;
  /** `data-target`: the CSS selector of the element an inline chat fills. */
  readonly target: string | null;
  /** `data-position`: corner of the launcher. Default (null): the inline end, right in LTR. */
  readonly position: "left" | "right" | null;
  /** `data-offset-x` / `data-offset-y`: distance from the corner in px. Default 20. */
  readonly offsetX: number;
  readonly offsetY: number;
  /** `data-primary-color`: a hex colour over the server theme's primary. Default none. */
  readonly primary: string | null;
  /** `data-theme`: light, dark, or auto (follows prefers-color-scheme). Default "light". */
  readonly theme: ThemeMode;
  /** `data-open`: open the panel on load. Default false. */
  readonly open: boolean;
  /** `data-launcher-label`: text beside the launcher icon. Default none. */
  readonly launcherLabel: string | null;
  /** `data-launcher-icon`: an http(s) image URL for the launcher. Default: a speech bubble. */
  readonly launcherIcon: string | null;
  /** `data-greeting`: a small dismissible bubble beside the closed launcher. Default none. */
  readonly greeting: string | null;
  /** `data-greeting-delay`: seconds (0 to 3600) before the greeting appears. Default: the server's. */
  readonly greetingDelay: number | null;
  /** `data-notice`: markdown at the top of every conversation. Default: the server's. */
  readonly notice: string | null;
  /** `data-consent`: true (the translated question), false, or the question. Default: the server's. */
  readonly consent: boolean | string | null;
  /** `data-privacy-url`: the site's privacy policy (http(s)). Default: the server's. */
  readonly privacyUrl: string | null;
  /** `data-z-index`: stacking order. Default 2147483000. */
  readonly zIndex: number | null;
  /** `data-locale`: the widget's language (a supported locale, i18n.ts). Default: the app's, else the browser's. */
  readonly locale: string | null;
}

/** The running `<script>`; call synchronously at startup, before any await. */
export function scriptTag(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  const tags = document.querySelectorAll<HTMLScriptElement>('script[src*="widget.js"]');
  for (let i = tags.length - 1; i >= 0; i--) {
    const tag = tags[i] as HTMLScriptElement;
    if (/\/widget\.js(?:[?#]|$)/.test(tag.src)) return tag;
  }
  return null;
}

/** The backend: `data-backend` when given and valid, else the directory of the script's src. */
export function widgetConfig(tag: HTMLScriptElement | null, warn: Warn): WidgetConfig | null {
  const backend = tag ? tag.getAttribute("data-backend") : null;
  let src = backend !== null ? webUrl(backend, document.baseURI) : null;
  if (backend !== null && !src) warn("data-backend", backend);
  if (src && !src.endsWith("/")) src += "/";
  src = src || webUrl(tag ? tag.src : "", document.baseURI);
  if (!src) return null;
  const base = new URL(".", src);
  return Object.freeze({
    baseUrl: base.href,
    origin: base.origin,
    visitorKey: visitorKey("chatbubble:" + base.origin + ":visitor-key"),
    login: { token: "" },
    user: { token: (tag && tag.getAttribute("data-user-token")) || "" },
  });
}

/**
 * 32 random bytes (base64url). This tab keeps the key it started with (sessionStorage, beside
 * its conversation), so its files stay sendable even if another tab or the site replaces the
 * shared copy in localStorage, from which new tabs take theirs. Without storage: this page only.
 */
function visitorKey(storageKey: string): string {
  const valid = (key: string | null): key is string => !!key && /^[A-Za-z0-9_-]{43}$/.test(key);
  const stores: Storage[] = [];
  for (const name of ["sessionStorage", "localStorage"] as const) {
    try {
      stores.push(window[name]);
    } catch {
      // storage refused
    }
  }
  let key = "";
  for (const store of stores) {
    try {
      const kept = store.getItem(storageKey);
      if (valid(kept)) {
        key = kept;
        break;
      }
    } catch {
      // unreadable: try the next
    }
  }
  if (!key) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    key = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
  }
  for (const store of stores) {
    try {
      if (store === stores[0] || !valid(store.getItem(storageKey))) store.setItem(storageKey, key);
    } catch {
      // full or refused: the other store, or memory
    }
  }
  return key;
}

export type Warn = (name: string, value: string) => void;

/** Collects bad attributes; `flush` prints them in one warning. */
export function warnings(): { warn: Warn; flush(): void } {
  const bad: string[] = [];
  return {
    warn: (name, value) => bad.push(`${name}="${value.slice(0, 80)}"`),
    flush() {
      if (bad.length) console.warn("chatbubble config: ignored " + bad.join(", "));
    },
  };
}

export function pageConfig(tag: HTMLScriptElement | null, warn: Warn): PageConfig {
  const read = <T>(name: string, parse: (value: string) => T | null | undefined): T | null => {
    const value = tag ? tag.getAttribute("data-" + name) : null;
    if (value === null) return null;
    const parsed = parse(value.trim());
    if (parsed === null || parsed === undefined) warn("data-" + name, value);
    return parsed ?? null;
  };
  const pick =
    <T extends string>(...allowed: T[]) =>
    (value: string) =>
      allowed.indexOf(value as T) >= 0 ? (value as T) : null;
  const px = (value: string) => (/^\d{1,4}(?:px)?$/.test(value) ? parseInt(value) : null);
  const flag = (value: string) =>
    value === "" || value === "true" ? true : value === "false" ? false : null;
  const words = (value: string) => (value && value.length <= 200 ? value : null);
  return Object.freeze({
    mode: read("mode", pick("bubble", "inline", "fullscreen")) ?? "bubble",
    target:
      read("target", words) ??
      (tag && MOUNT in tag
        ? "#" + (tag as unknown as Record<symbol, Mount>)[MOUNT]?.target.id
        : null),
    position: read("position", pick("left", "right")),
    offsetX: read("offset-x", px) ?? 20,
    offsetY: read("offset-y", px) ?? 20,
    primary: read("primary-color", hexColor),
    theme: read("theme", pick("light", "dark", "auto")) ?? "light",
    open: read("open", flag) ?? false,
    launcherLabel: read("launcher-label", words),
    launcherIcon: read("launcher-icon", (value) => webUrl(value, document.baseURI)),
    greeting: read("greeting", words),
    greetingDelay: read("greeting-delay", (value) =>
      /^\d+(?:\.\d+)?$/.test(value) && +value <= 3600 ? +value : null,
    ),
    notice: read("notice", (value) => (value.length <= 1000 ? value : null)),
    consent: read("consent", (value) => flag(value) ?? (value.length <= 500 ? value : null)),
    privacyUrl: read("privacy-url", (value) => webUrl(value, document.baseURI)),
    zIndex: read("z-index", (value) =>
      /^-?\d{1,10}$/.test(value) && Math.abs(+value) <= 2147483647 ? +value : null,
    ),
    locale: read("locale", match),
  });
}
