// The widget's configuration: where the backend lives (from the script tag) and what the server
// says about itself (GET /api/config). Both are read once and frozen.

import { own } from "./json";

/** Where the widget talks to, derived from its own `<script src>`. */
export interface WidgetConfig {
  /** Base URL of the backend with a trailing slash, e.g. "http://127.0.0.1:8000/". */
  readonly baseUrl: string;
  /** Origin of the backend, e.g. "http://127.0.0.1:8000"; the only origin images may load from. */
  readonly origin: string;
}

/** Limits the server enforces; the widget respects them before sending. */
export interface Limits {
  /** Longest visitor message, in characters (code points). Default 16000. */
  readonly maxMessageChars: number;
  /** Most history entries sent with a message. Default 200. */
  readonly maxHistoryMessages: number;
  /** Longest single history entry, in characters; longer ones are clipped. Default 100000. */
  readonly maxHistoryEntryChars: number;
  /** Largest JSON request body, in bytes. Default 1 MiB. */
  readonly maxBodyBytes: number;
}

/** What `GET /api/config` tells the widget (protocol version 1). */
export interface ServerConfig {
  readonly protocol: number;
  /** Panel title; `null` shows "Chat". */
  readonly title: string | null;
  readonly limits: Limits;
}

export const DEFAULT_TITLE = "Chat";

export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxMessageChars: 16000,
  maxHistoryMessages: 200,
  maxHistoryEntryChars: 100000,
  maxBodyBytes: 1024 * 1024,
});

/** The `src` of the running script; call synchronously at startup, before any await. */
export function scriptSrc(): string {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current.src;
  const tags = document.querySelectorAll<HTMLScriptElement>('script[src*="widget.js"]');
  for (let i = tags.length - 1; i >= 0; i--) {
    const tag = tags[i] as HTMLScriptElement;
    if (/\/widget\.js(?:[?#]|$)/.test(tag.src)) return tag.src;
  }
  return "";
}

export function widgetConfig(src: string): WidgetConfig | null {
  let url: URL;
  try {
    url = new URL(src, document.baseURI);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const base = new URL(".", url);
  return Object.freeze({ baseUrl: base.href, origin: base.origin });
}

function positiveInt(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Reads the JSON of `GET /api/config`, trusting nothing about its shape. */
export function serverConfig(json: unknown): ServerConfig {
  const title = own(json, "title");
  const limits = own(json, "limits");
  const protocol = own(json, "protocol");
  return Object.freeze({
    protocol: typeof protocol === "number" ? protocol : 1,
    title: typeof title === "string" && title.trim() ? title : null,
    limits: Object.freeze({
      maxMessageChars: positiveInt(
        own(limits, "max_message_chars"),
        DEFAULT_LIMITS.maxMessageChars,
      ),
      maxHistoryMessages: positiveInt(
        own(limits, "max_history_messages"),
        DEFAULT_LIMITS.maxHistoryMessages,
      ),
      maxHistoryEntryChars: positiveInt(
        own(limits, "max_history_entry_chars"),
        DEFAULT_LIMITS.maxHistoryEntryChars,
      ),
      maxBodyBytes: positiveInt(own(limits, "max_body_bytes"), DEFAULT_LIMITS.maxBodyBytes),
    }),
  });
}
