// The widget's configuration: where the backend lives and what the page asks for (from the
// script tag, see page-config.ts) and what the server says about itself (GET /api/config).
// Everything is read once, trusting no shape, and frozen.

import { own } from "./json";
import { t } from "./translate";
import { fileParts, type FilePart } from "./parts";

/** Where the widget talks to, derived from its own `<script src>` (or `data-backend`). */
export interface WidgetConfig {
  /** Base URL of the backend with a trailing slash, e.g. "http://127.0.0.1:8000/". */
  readonly baseUrl: string;
  /** Origin of the backend, e.g. "http://127.0.0.1:8000"; the only origin images may load from. */
  readonly origin: string;
  /**
   * This browser's random key for the backend (`X-Visitor-Key` on every POST): the server binds
   * the files the visitor uploads to it, so nobody else can send them to the chat function.
   */
  readonly visitorKey: string;
  /**
   * The login token (sent as `Authorization: Bearer`), "" without one, and what to do when the
   * server says it is missing or expired (401 `login_required`): ui/login.ts sets both.
   */
  readonly login: { token: string; expired?: () => void };
  /**
   * The host site's signed token for its visitor (sent as `X-Chatbubble-User`), "" for an
   * anonymous one: `data-user-token`, then `chatbubble("identify", token)`; `logout` clears it.
   */
  readonly user: { token: string };
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

export interface Example {
  readonly text: string;
  /** The button's text when set; otherwise `text`. */
  readonly label: string | null;
  /** An http(s) image URL shown on the button, or null. */
  readonly icon: string | null;
  /** Files sent with the example (multimodal apps). */
  readonly files: readonly FilePart[];
}

export interface ChatbotOptions {
  /** CSS lengths for the desktop panel; null keeps the widget's own. */
  readonly height: string | null;
  readonly minHeight: string | null;
  readonly maxHeight: string | null;
  /** Right-to-left message list. Default false. */
  readonly rtl: boolean;
  /** False shows answers as plain text. Default true. */
  readonly renderMarkdown: boolean;
  /** A "Copy" button on each finished answer. Default false. */
  readonly showCopyButton: boolean;
  /** Follow a streaming answer unless the visitor scrolled up (default true); false: never. */
  readonly autoscroll: boolean;
  /** Before an answer's first words: "minimal" (dots, the default), "full" (dots and seconds), "hidden". */
  readonly showProgress: string;
  /** [visitor, bot] image URLs; null for none. */
  readonly avatars: readonly [string | null, string | null];
  /** The welcome (`Chatbot(value=...)`): [is the visitor's, markdown] before the first message. */
  readonly welcome: readonly (readonly [boolean, string])[];
}

/** `multimodal=True`: what the visitor may attach to a message. */
export interface Multimodal {
  /** "single": one file per message; "multiple": up to `maxFiles`. */
  readonly maxFiles: number;
  /** null: any file; else "image", "audio", "video", "text" and extensions such as ".pdf". */
  readonly fileTypes: readonly string[] | null;
  /** "upload" (picker, drag and drop, paste) and "microphone" (Record audio). */
  readonly sources: readonly string[];
  /** Largest file in bytes. */
  readonly maxFileSize: number;
}

/** `true`: an icon button; a string: a text button; `false`: no button. */
export type ButtonSetting = boolean | string;

export interface TextboxOptions {
  /** null: the catalog's "Write a message…" (the composer's, in the locale when it shows). */
  readonly placeholder: string | null;
  /** Longest message the composer accepts; null: the server's limit only. */
  readonly maxLength: number | null;
  /** Initial rows (default 1) and the most rows it grows to (default 6). */
  readonly lines: number;
  readonly maxLines: number;
  /** Focus the composer when the panel opens on page load. Default false. */
  readonly autofocus: boolean;
  /** Focus the composer when the visitor opens the panel. Default true. */
  readonly focusOnOpen: boolean;
  readonly submitBtn: ButtonSetting;
  readonly stopBtn: ButtonSetting;
}

export const PALETTE_KEYS = [
  "primary",
  "on_primary",
  "background",
  "surface",
  "text",
  "muted",
  "border",
  "danger",
  "radius",
] as const;
export type PaletteKey = (typeof PALETTE_KEYS)[number];
/** Values for the `--chatbubble-*` properties; only valid hex colours and lengths are kept. */
export type Palette = Readonly<Partial<Record<PaletteKey, string>>>;

/** What `GET /api/config` tells the widget (protocol version 1). */
export interface ServerConfig {
  readonly protocol: number;
  /** Panel title; `null` shows "Chat". */
  readonly title: string | null;
  /** Markdown under the title, markdown/HTML before the first message, the log's name. */
  readonly description: string | null;
  readonly placeholder: string | null;
  readonly label: string | null;
  readonly examples: readonly Example[];
  /** A click on an example sends it (default true); otherwise it fills the composer. */
  readonly runExamplesOnClick: boolean;
  readonly chatbot: ChatbotOptions;
  readonly textbox: TextboxOptions;
  readonly light: Palette;
  readonly dark: Palette;
  /** The operator's CSS, added after the widget's own. */
  readonly css: string;
  /** A stable id of the app: with the backend origin, it namespaces browser storage. */
  readonly app: string;
  /** Visitors may edit their past messages. */
  readonly editable: boolean;
  /** Every conversation is kept in the visitor's localStorage, listed under "Chat history". */
  readonly saveHistory: boolean;
  /** Feedback options for finished answers; null when flagging is off. */
  readonly flagging: readonly string[] | null;
  /** Files in messages; null when the app is not multimodal. */
  readonly multimodal: Multimodal | null;
  /**
   * The config as received, for the chunks that read their own parts of it (the inputs chunk:
   * `additional_inputs`, `additional_outputs`, `layout`, `examples`), checking every field.
   */
  readonly raw: unknown;
  readonly limits: Limits;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxMessageChars: 16000,
  maxHistoryMessages: 200,
  maxHistoryEntryChars: 100000,
  maxBodyBytes: 1024 * 1024,
});

const HEX = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const LENGTH = /^(?:0|\d{1,5}(?:\.\d{1,3})?(?:px|r?em|%|vh|vw|dvh|svh))$/;

/** A hex colour, or undefined. */
export function hexColor(value: unknown): string | undefined {
  return typeof value === "string" && HEX.test(value.trim()) ? value.trim() : undefined;
}

/** A simple CSS length ("300px", "40vh"; a bare number means px), or null. */
export function cssLength(value: unknown): string | null {
  if (typeof value === "number" && value >= 0 && value < 1e5) return value + "px";
  return typeof value === "string" && LENGTH.test(value.trim()) ? value.trim() : null;
}

/** An absolute http(s) URL, or null. */
export function webUrl(value: unknown, base?: string): string | null {
  if (typeof value !== "string" || !value) return null;
  try {
    const url = new URL(value, base);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Keeps the palette entries whose values are safe to put in a stylesheet. */
export function palette(value: unknown): Palette {
  const out: Partial<Record<PaletteKey, string>> = {};
  for (let i = 0; i < PALETTE_KEYS.length; i++) {
    const key = PALETTE_KEYS[i] as PaletteKey;
    const found = own(value, key);
    const valid = key === "radius" ? cssLength(found) : hexColor(found);
    if (valid) out[key] = valid;
  }
  return Object.freeze(out);
}

function positiveInt(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value : null;
}

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === "boolean" ? value : fallback;
}

function button(value: unknown): ButtonSetting {
  return typeof value === "boolean" ? value : (text(value) ?? true);
}

function welcome(value: unknown): [boolean, string][] {
  const out: [boolean, string][] = [];
  if (Array.isArray(value))
    for (let i = 0; i < value.length; i++) {
      const said = own(value[i], "text");
      if (typeof said === "string") out.push([own(value[i], "role") === "user", said]);
    }
  return out;
}

function strings(value: unknown): string[] | null {
  return Array.isArray(value) ? value.filter((item) => typeof item == "string") : null;
}

function multimodal(value: unknown): Multimodal | null {
  if (!value || typeof value !== "object") return null;
  const sources = strings(own(value, "sources"));
  return {
    maxFiles: own(value, "file_count") === "single" ? 1 : positiveInt(own(value, "max_files"), 10),
    fileTypes: strings(own(value, "file_types")),
    sources: sources || ["upload"],
    maxFileSize: positiveInt(own(value, "max_file_size"), Infinity),
  };
}

function examples(value: unknown, base?: string): Example[] {
  const out: Example[] = [];
  if (!Array.isArray(value)) return out;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const body = typeof item === "string" ? item : own(item, "text");
    if (typeof body !== "string") continue;
    out.push({
      text: body,
      label: text(own(item, "label")),
      icon: webUrl(own(item, "icon"), base),
      files: fileParts(own(item, "files")),
    });
  }
  return out;
}

/** Reads the JSON of `GET /api/config`, trusting nothing about its shape. */
export function serverConfig(json: unknown, base?: string): ServerConfig {
  const limits = own(json, "limits");
  const protocol = own(json, "protocol");
  const chatbot = own(json, "chatbot");
  const box = own(json, "textbox");
  const theme = own(json, "theme");
  const avatars = own(chatbot, "avatar_images");
  const css = own(json, "css");
  const lines = positiveInt(own(box, "lines"), 1);
  const maxLength = own(box, "max_length");
  const progress = own(chatbot, "show_progress");
  return Object.freeze({
    protocol: typeof protocol === "number" ? protocol : 1,
    title: text(own(json, "title")),
    description: text(own(json, "description")),
    placeholder: text(own(json, "placeholder")),
    label: text(own(json, "label")),
    examples: examples(own(json, "examples"), base),
    runExamplesOnClick: flag(own(json, "run_examples_on_click"), true),
    chatbot: {
      height: cssLength(own(chatbot, "height")),
      minHeight: cssLength(own(chatbot, "min_height")),
      maxHeight: cssLength(own(chatbot, "max_height")),
      rtl: flag(own(chatbot, "rtl"), false),
      renderMarkdown: flag(own(chatbot, "render_markdown"), true),
      showCopyButton: flag(own(chatbot, "show_copy_button"), false),
      autoscroll: flag(own(chatbot, "autoscroll"), true),
      showProgress: progress === "full" || progress === "hidden" ? progress : "minimal",
      avatars: [
        webUrl(Array.isArray(avatars) ? avatars[0] : null, base),
        webUrl(Array.isArray(avatars) ? avatars[1] : null, base),
      ] as const,
      welcome: welcome(own(chatbot, "value")),
    },
    textbox: {
      placeholder: text(own(box, "placeholder")),
      maxLength: positiveInt(maxLength, 0) || null,
      lines,
      maxLines: Math.max(lines, positiveInt(own(box, "max_lines"), 6)),
      autofocus: flag(own(box, "autofocus"), false),
      focusOnOpen: flag(own(box, "focus_on_open"), true),
      submitBtn: button(own(box, "submit_btn")),
      stopBtn: button(own(box, "stop_btn")),
    },
    light: palette(own(theme, "light")),
    dark: palette(own(theme, "dark")),
    css: typeof css === "string" ? css : "",
    app: text(own(json, "app")) ?? "",
    editable: flag(own(json, "editable"), false),
    saveHistory: flag(own(json, "save_history"), false),
    flagging: strings(own(own(json, "flagging"), "options")),
    multimodal: multimodal(own(json, "multimodal")),
    raw: json,
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
