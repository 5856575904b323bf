// What the panel chunk's modules share: what the core lends (PanelHost: the page's settings, the
// root, the launcher, the chunk loader), the views App() creates (app.ts) and the server's config
// once loaded, read by the modules behind the views (chunks.ts, turns.ts, streaming.ts). They live
// at module scope, not in factory parameters: there is one chat per run of the panel chunk (the
// core loads it once per chat: a second chat on the page runs its own copy of this scope) and
// the chunk's IIFE keeps it private (no global), while terser shortens module-level names but
// not what crosses a function boundary by position (with parameters, the bundle was ~120 B gzip
// bigger). Set once by `init`, except the config and whether the panel is open, which have their
// setters.
//
// The modules behind the views also import from one another where they call across: app.ts and
// streaming.ts (`loadConfig`), and chunks.ts, turns.ts and streaming.ts among themselves. esbuild
// puts them all in one scope, and no module's top level uses another's, so the order they are
// evaluated in does not matter.

import type { ServerConfig, WidgetConfig } from "../config";
import type { Events } from "../events";
import type { PanelHost } from "../panel/types";
import type { ComposerView } from "./composer";
import type { MessageListView } from "./messages";
import type { PanelView } from "./panel";

/** What the core lends the panel (panel/types.ts): its settings, views and services. */
export let host: PanelHost;
/** The options of this chat's listeners on the window and the viewport (the core's). */
export let life: { readonly signal: AbortSignal };
export let widget: WidgetConfig;
export let events: Events;
export let list: MessageListView;
export let composer: ComposerView;
export let panel: PanelView;
/** The widget's root element, in the shadow root (the core's, with its launcher). */
export let root: HTMLDivElement;
/** The header's button of the saved conversations (`save_history`). */
export let historyButton: HTMLButtonElement;
/** /api/config once loaded (null until it has). */
export let config: ServerConfig | null = null;
export let isOpen = false;

export function init(
  lent: PanelHost,
  messages: MessageListView,
  input: ComposerView,
  frame: PanelView,
  button: HTMLButtonElement,
): void {
  host = lent;
  life = lent.life;
  widget = lent.widget;
  events = lent.events;
  root = lent.root;
  list = messages;
  composer = input;
  panel = frame;
  historyButton = button;
}

export const configured = (value: ServerConfig): void => {
  config = value;
};

export const opened = (value: boolean): void => {
  isOpen = value;
};
