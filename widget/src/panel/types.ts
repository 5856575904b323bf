// The contract between the core (widget.js: the launcher, the page API, the config, the chunk
// loader; widget/src/shell/) and the panel chunk (widget/src/panel/index.ts →
// backend/static/chunks/panel.js: the panel, the conversation and markdown, widget/src/ui/),
// loaded when the chat first opens, at once for an inline, fullscreen or full-page chat, a page
// with `data-open`, and a page whose conversation was left open or still answering. Until it is
// here the core shows the launcher alone; a page's calls that need the panel wait for it.

import type { Result } from "../api";
import type { ServerConfig, WidgetConfig } from "../config";
import type { Events } from "../events";
import type { Json } from "../json";
import type { Nudges } from "../nudges/types";
import type { PageConfig } from "../page-config";

export const PANEL_KEY = "chatbubble.panel";

/** One chat's API (`chatbubble.mount` resolves to it; `window.chatbubble` calls it). */
export interface AppView {
  readonly el: HTMLDivElement;
  open(): void;
  close(): void;
  toggle(): void;
  send(text: unknown): void;
  newChat(): void;
  identify(token: unknown): void;
  logout(): void;
  setTheme(theme: unknown): void;
  /** Merges values into what requests send as `page.context` (page-context.ts). */
  context(values: unknown): void;
  /** `chatbubble("strings", {key: text})`: the site's own words over the catalog's. */
  strings(values: unknown): void;
  /** Listens to this chat's events only (`chatbubble.on` hears every chat's). */
  on: Events["on"];
  /** Stops the answer and takes the chat off the page (its conversation stays saved), with its
   * listeners on the window and the viewport. */
  unmount(): void;
}

/** The launcher as the core made it. */
export interface LauncherView {
  readonly el: HTMLButtonElement;
  setOpen(open: boolean): void;
}

/** What the core lends the panel chunk: its settings, views and services, one chat's. */
export interface PanelHost {
  readonly widget: WidgetConfig;
  readonly page: PageConfig;
  /** This chat's events (forwarding to the page's `chatbubble.on`). */
  readonly events: Events;
  /** Aborted when the chat is taken off the page (`AppView.unmount`). */
  readonly life: { readonly signal: AbortSignal };
  /** The widget's root in the shadow root: the launcher is in it, the panel goes before it. */
  readonly root: HTMLDivElement;
  readonly launcher: LauncherView;
  /** The core's chunk loader (one per chat, styles included): `chunk(KEY)`. */
  chunk<T>(key: string, file?: string): Promise<T>;
  /** Writes the chat's stylesheets again (theme, layout, the chunks', the app's `css`). */
  restyle(): void;
  /** GET /api/config, once; after a failure the next call tries again. */
  loadConfig(): Promise<Result<ServerConfig>>;
  /** The conversation's sessionStorage key once the config is here (else ""). */
  store(): string;
  /** The nudges chunk (greeting, unread badge), set up once. */
  nudge(): Promise<Nudges>;
  /** The request's `page` (page-context.ts; the core keeps the page's context values). */
  aboutPage(): Json | undefined;
  /** The launcher's corner ("left" or "right"). */
  corner(): "left" | "right";
}

export interface PanelChunk {
  /** The panel's styles, put right after the core's (before the theme and layout sheet). */
  readonly base: string;
  /** Markdown's styles, with the chunks' sheets. */
  readonly css: string;
  /** Draws the panel into `host.root`. */
  start(host: PanelHost): PanelApp;
}

/** The panel as the core drives it (the chat's API, shell.ts, is the core's). */
export interface PanelApp {
  /** Opens the panel; `focus`: the composer takes the focus (as `autofocus` says). */
  open(focus: boolean): void;
  /** Closes it (bubble mode); `focusLauncher`: the launcher takes the focus. */
  close(focusLauncher: boolean): void;
  isOpen(): boolean;
  send(text: unknown): void;
  newChat(): void;
  /** A new token for the host site's visitor (resends an answer refused for the old one). */
  identify(token: unknown): void;
  logout(): void;
  /** Stops the answer (the chat is taken off the page). */
  stop(): void;
}
