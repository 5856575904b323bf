// What the widget's modules share: the settings from the page, the views App() creates (app.ts)
// and the server's config once loaded, read by the modules behind the views (chunks.ts, turns.ts,
// streaming.ts). They live at module scope, not in factory parameters: there is one widget per
// run of the bundle (index.ts calls App() once; a second chat on the page is a second run of
// widget.js, with its own copy of this scope) and the bundle's IIFE keeps it private (no global),
// while terser shortens module-level names but not what crosses a function boundary by position
// (with parameters, the core was ~120 B gzip bigger). Set once by `init`, except the config and
// whether the panel is open, which have their setters.
//
// The modules behind the views also import from one another where they call across: app.ts and
// chunks.ts (`restyle`), app.ts and streaming.ts (`loadConfig`), and chunks.ts, turns.ts and
// streaming.ts among themselves. esbuild puts them all in one scope, and no module's top level
// uses another's, so the order they are evaluated in does not matter.

import type { ServerConfig, WidgetConfig } from "../config";
import type { Events } from "../events";
import type { ComposerView } from "./composer";
import type { MessageListView } from "./messages";
import type { PanelView } from "./panel";

/**
 * How chunks reach the widgets of a page (index.ts): a chunk's script hands its exports to the
 * receiver waiting in `take`, so a page loads one key at a time (`busy`: the load under way),
 * each widget its own copy (a chunk keeps state at its module scope).
 */
export interface ChunkHooks {
  readonly take: Record<string, (exports: unknown) => void>;
  readonly busy: Record<string, Promise<unknown>>;
}

const ending = new AbortController();
/** The options of this chat's listeners on the window and the viewport: `end` removes them all. */
export const life = { signal: ending.signal };
export const end = (): void => ending.abort();

export let widget: WidgetConfig;
export let events: Events;
/** The chunks' one-shot setters (index.ts): `chunk` puts its receiver here. */
export let hooks: ChunkHooks;
export let list: MessageListView;
export let composer: ComposerView;
export let panel: PanelView;
/** The widget's root element, in the shadow root (where the chunks' scripts go). */
export let root: HTMLDivElement;
/** The header's button of the saved conversations (`save_history`). */
export let historyButton: HTMLButtonElement;
/** /api/config once loaded (null until it has). */
export let config: ServerConfig | null = null;
export let isOpen = false;

export function init(
  settings: WidgetConfig,
  emitter: Events,
  setters: ChunkHooks,
  messages: MessageListView,
  input: ComposerView,
  frame: PanelView,
  top: HTMLDivElement,
  button: HTMLButtonElement,
): void {
  widget = settings;
  events = emitter;
  hooks = setters;
  list = messages;
  composer = input;
  panel = frame;
  root = top;
  historyButton = button;
}

export const configured = (value: ServerConfig): void => {
  config = value;
};

export const opened = (value: boolean): void => {
  isOpen = value;
};
