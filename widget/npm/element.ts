// `chatbubble-widget/element`: the chat as a custom element, `<chat-bubble server="..." mode="inline">`,
// for plain HTML, Vue, Svelte and Angular. Its attributes are the script tag's `data-*` attributes
// without `data-` (same names, same values). Importing this module defines `<chat-bubble>`; in
// Node (server-side rendering), where `customElements` is missing, it defines nothing and throws
// nothing.
//
// Attribute changes apply live: `user-token` (identify; removed: logout), `open` (open; "false"
// or removed: close), `context` (setContext), `theme` (setTheme) and `strings` (setStrings) by
// their command; any other change remounts the chat, which keeps its conversation (the widget's
// copy in sessionStorage). Removing the element destroys the chat; moving it (removed and added
// again before the task ends) keeps it.
// The chat's events are dispatched on the element as `chatbubble-<event>` CustomEvents.

import { attributeName, mount } from "./index";
import type { ChatHandle, Context, EventMap, EventName, MountOptions } from "./types";

/** The options an attribute sets: every MountOptions key but `server` and `target`. */
type AttributeOption = Exclude<keyof MountOptions, "server" | "target">;
type Parsers = { [K in AttributeOption]-?: (value: string) => MountOptions[K] | undefined };

const pick =
  <T extends string>(...allowed: T[]) =>
  (value: string): T | undefined =>
    allowed.indexOf(value as T) >= 0 ? (value as T) : undefined;
const text = (value: string): string => value;
const number = (value: string): number | undefined =>
  /^-?\d+(?:\.\d+)?(?:px)?$/.test(value.trim()) ? parseFloat(value) : undefined;
const flag = (value: string): boolean | undefined =>
  value === "" || value === "true" ? true : value === "false" ? false : undefined;
/** A JSON object (strings: of strings); undefined for anything else. */
const object = (value: string): Record<string, unknown> | undefined => {
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed == "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** One parser per option; a MountOptions key without one fails to compile. */
const PARSERS: Parsers = {
  mode: pick("bubble", "inline", "fullscreen"),
  position: pick("left", "right"),
  offsetX: number,
  offsetY: number,
  primaryColor: text,
  theme: pick("light", "dark", "auto"),
  open: flag,
  launcherLabel: text,
  launcherIcon: text,
  greeting: text,
  greetingDelay: number,
  notice: text,
  consent: (value) => flag(value) ?? value,
  privacyUrl: text,
  zIndex: number,
  locale: text,
  strings: (value) => object(value) as Record<string, string> | undefined,
  userToken: text,
  context: object,
  pageContext: (value) => value !== "off",
};

/** `offsetX` -> `offset-x`: the data attribute's name without `data-`. */
const attributeOf = (key: string): string => attributeName(key).slice("data-".length);
/** `offset-x` -> `offsetX`: the element's property for an attribute. */
const propertyOf = (name: string): string =>
  name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const OPTIONS = Object.keys(PARSERS) as AttributeOption[];
/** Every attribute the element reads, `server` first. */
export const ATTRIBUTES: readonly string[] = ["server", ...OPTIONS.map(attributeOf)];
const EVENTS: readonly EventName[] = ["open", "close", "message", "error", "identify"];

/** What `chatbubble-<event>` carries in `detail`, per event (`chatbubble-ready`: the handle). */
export type ChatBubbleEventMap = {
  [K in EventName as `chatbubble-${K}`]: CustomEvent<EventMap[K]>;
} & { "chatbubble-ready": CustomEvent<ChatHandle> };

type Snapshot = Record<string, string | null>;

// In Node there is no HTMLElement to extend: a stand-in keeps the import harmless.
const Base: typeof HTMLElement =
  typeof HTMLElement === "undefined" ? (class {} as unknown as typeof HTMLElement) : HTMLElement;

export class ChatBubbleElement extends Base {
  static get observedAttributes(): string[] {
    return ATTRIBUTES.slice();
  }

  #handle: ChatHandle | null = null;
  /** The attributes the current chat was mounted or last updated with. */
  #applied: Snapshot = {};
  #scheduled = false;

  constructor() {
    super();
    // Inline: the chat (a child of this element) fills it; otherwise the element shows nothing.
    const shadow = this.attachShadow({ mode: "open" });
    const css = ':host{display:block}:host([hidden]),:host(:not([mode="inline"])){display:none}';
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
    } catch {
      const style = document.createElement("style");
      style.textContent = css;
      shadow.append(style);
    }
    shadow.append(document.createElement("slot"));
  }

  /** The running chat's handle; null before the element is on the page and after removal. A
   *  remount (e.g. a new `locale`) makes a new one: `chatbubble-ready` hands over each. */
  get handle(): ChatHandle | null {
    return this.#handle;
  }

  connectedCallback(): void {
    // A property a framework set before the element was defined: through its setter now.
    for (const name of ATTRIBUTES) {
      const property = propertyOf(name);
      if (Object.prototype.hasOwnProperty.call(this, property)) {
        const value: unknown = (this as unknown as Record<string, unknown>)[property];
        delete (this as unknown as Record<string, unknown>)[property];
        (this as unknown as Record<string, unknown>)[property] = value;
      }
    }
    this.#schedule();
  }

  disconnectedCallback(): void {
    this.#schedule();
  }

  attributeChangedCallback(): void {
    if (this.#handle || this.isConnected) this.#schedule();
  }

  /** One update per task, after the framework has set every attribute (or moved the element). */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#update();
    });
  }

  #update(): void {
    if (!this.isConnected) return this.#destroy();
    const now = this.#snapshot();
    if (!this.#handle) return this.#mount(now);
    const changed = ATTRIBUTES.filter((name) => now[name] !== this.#applied[name]);
    if (!changed.length) return;
    if (changed.every((name) => this.#command(name, now[name] ?? null))) this.#applied = now;
    else {
      this.#destroy();
      this.#mount(now);
    }
  }

  /** Applies one changed attribute by its command; false when only a remount can. */
  #command(name: string, value: string | null): boolean {
    const handle = this.#handle as ChatHandle;
    if (name === "user-token") {
      if (value) handle.identify(value);
      else handle.logout();
      return true;
    }
    if (name === "open") {
      if (value !== null && PARSERS.open(value)) handle.open();
      else handle.close();
      return true;
    }
    if (value === null) return false;
    if (name === "theme") {
      const theme = PARSERS.theme(value);
      if (theme) handle.setTheme(theme);
      else warn(name, value);
      return true;
    }
    if (name === "context" || name === "strings") {
      const values = object(value);
      const before = object(this.#applied[name] ?? "{}") || {};
      // The command merges: a key the attribute no longer has needs a fresh chat.
      if (!values || Object.keys(before).some((key) => !(key in values))) return false;
      if (name === "context") handle.setContext(values as Context);
      else handle.setStrings(values as Record<string, string>);
      return true;
    }
    return false;
  }

  #snapshot(): Snapshot {
    const now: Snapshot = {};
    for (const name of ATTRIBUTES) now[name] = this.getAttribute(name);
    return now;
  }

  #mount(now: Snapshot): void {
    this.#applied = now;
    const options: Record<string, unknown> = { server: now.server ?? "" };
    for (const key of OPTIONS) {
      const value = now[attributeOf(key)];
      if (value === null || value === undefined) continue;
      const parsed = (PARSERS[key] as (value: string) => unknown)(value);
      if (parsed === undefined) warn(attributeOf(key), value);
      else options[key] = parsed;
    }
    if (options.mode === "inline") options.target = this;
    let handle: ChatHandle;
    try {
      handle = mount(options as unknown as MountOptions);
    } catch (error) {
      console.error("chatbubble <chat-bubble>:", error);
      return;
    }
    this.#handle = handle;
    for (const event of EVENTS) {
      handle.on(event, (detail) => this.#dispatch("chatbubble-" + event, detail));
    }
    handle.ready.then(
      () => this.#handle === handle && this.#dispatch("chatbubble-ready", handle),
      () => undefined, // mount reports why, in the console and the panel
    );
  }

  #destroy(): void {
    const handle = this.#handle;
    this.#handle = null;
    if (handle) handle.destroy();
  }

  #dispatch(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

// Properties for frameworks that bind properties (Angular's `[context]="ctx"`, Vue and Svelte
// when the name is one): `userToken`, `context`, ... reflect to the attribute; objects as JSON,
// null or undefined remove it.
for (const name of ATTRIBUTES) {
  Object.defineProperty(ChatBubbleElement.prototype, propertyOf(name), {
    configurable: true,
    get(this: HTMLElement) {
      return this.getAttribute(name);
    },
    set(this: HTMLElement, value: unknown) {
      if (value === null || value === undefined) this.removeAttribute(name);
      else
        this.setAttribute(name, typeof value == "object" ? JSON.stringify(value) : String(value));
    },
  });
}

function warn(name: string, value: string): void {
  console.warn(`chatbubble <chat-bubble>: ignored ${name}="${value.slice(0, 80)}"`);
}

/** Defines the element as `name` (default `chat-bubble`); does nothing without `customElements`
 *  (Node) or when the name is taken. Returns the class defined under the name, if any. */
export function define(name = "chat-bubble"): CustomElementConstructor | undefined {
  if (typeof customElements === "undefined") return undefined;
  const existing = customElements.get(name);
  if (existing) return existing;
  // One class per name: the registry refuses a constructor twice.
  const taken = Object.values(NAMES).indexOf(ChatBubbleElement) >= 0;
  const element = taken ? class extends ChatBubbleElement {} : ChatBubbleElement;
  customElements.define(name, element);
  NAMES[name] = element;
  return element;
}
const NAMES: Record<string, CustomElementConstructor> = {};

define();

/** The attribute properties: `server`, `mode`, `userToken`, `offsetX`, ... */
type AttributeProperties = {
  -readonly [K in AttributeOption | "server"]: K extends "context" | "strings"
    ? string | Readonly<Record<string, unknown>> | null
    : string | number | boolean | null;
};
type ElementEventMap = HTMLElementEventMap & ChatBubbleEventMap;

export interface ChatBubbleElement extends AttributeProperties {
  addEventListener<K extends keyof ElementEventMap>(
    type: K,
    listener: (this: ChatBubbleElement, event: ElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof ElementEventMap>(
    type: K,
    listener: (this: ChatBubbleElement, event: ElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "chat-bubble": ChatBubbleElement;
  }
}
