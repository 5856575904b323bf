// The panel's wiring (the panel chunk's start, panel/types.ts): the panel with the message list
// and the composer, open/closed, and the views set up from the server's config. The core lends
// the root with its launcher, the config, the stylesheets and the chunk loader (PanelHost).
// Behind the views are the chunks (chunks.ts: the parts of the widget few visitors need, loaded
// on first use) and the conversation (turns.ts, with the answer that may be streaming in
// streaming.ts). All of them share the views and the config through state.ts, at module scope
// (state.ts says why); streaming.ts imports `loadConfig` back from here.

import type { Result } from "../api";
import type { ServerConfig } from "../config";
import { el, guard, on, report } from "../dom";
import { expandIcon } from "../icons";
import { EXTRAS_KEY, type Extras } from "../extras/types";
import { own, ownString } from "../json";
import type { PanelApp, PanelHost } from "../panel/types";
import { chunk, loadBlocks, loadRender, loadUploads, markdown, rich, steps } from "./chunks";
import { Composer } from "./composer";
import { ask, consented, privacy } from "./consent";
import { needLogin } from "./login";
import { MessageList } from "./messages";
import { Panel } from "./panel";
import {
  composer,
  config,
  configured,
  events,
  historyButton,
  host,
  init,
  isOpen,
  life,
  list,
  opened,
  panel,
  root,
  widget,
} from "./state";
import { choose, example, resend, send, stop } from "./streaming";
import { fresh, greet, listen, restore, save } from "./turns";
import { t } from "../translate";

/** The config asks for the blocks chunk (inputs or a layout), loaded when the panel opens. */
let wantsBlocks = false;
/** The config's views are set up (once). */
let applied = false;
/** Opened before the config came: where the focus was then (the composer takes it later if
 * the visitor has not moved it since). */
let focusFrom: Element | null | undefined;
/** The composer stays above an on-screen keyboard: the panel follows the visual viewport. */
const viewport = window.visualViewport;
const fit = guard(() => {
  if (!viewport) return;
  root.style.setProperty("--vvh", viewport.height + "px");
  root.style.setProperty("--vvt", viewport.offsetTop + "px");
});

export function App(lent: PanelHost): PanelApp {
  // The views; from `init` on, the rest reads them from state.ts.
  const messages = MessageList(
    example,
    () => (config ? config.chatbot : null),
    rich,
    steps,
    markdown,
  );
  const input = Composer({ send: choose, stop });
  const frame = Panel(() => close(true), [messages.el, input.el], markdown);
  const top = lent.root;
  top.insertBefore(frame.el, lent.launcher.el);
  top.append(messages.live);
  const hist = el(
    "button",
    { type: "button", class: "hist", "aria-label": t("history_title"), "aria-expanded": "false" },
    ["\u2630"],
  );
  hist.hidden = true;
  // Bubble mode: Expand grows the panel to a large centred one (wide screens) and back.
  const grow = el(
    "button",
    { type: "button", class: "grow", "aria-label": t("panel_expand"), "aria-pressed": "false" },
    [expandIcon()],
  );
  on(grow, "click", () => grow.setAttribute("aria-pressed", String(top.classList.toggle("big"))));
  const header = frame.el.firstChild as HTMLElement;
  header.insertBefore(hist, header.lastChild);
  header.insertBefore(grow, header.lastChild);
  init(lent, messages, input, frame, hist);
  // Inline and fullscreen: always open, a region of the page rather than a dialog.
  if (fixed()) frame.el.setAttribute("role", "region");

  on(root, "keydown", (event) => {
    if (event.key === "Escape" && isOpen && !event.isComposing) {
      event.preventDefault();
      close(true);
    }
  });

  if (viewport) {
    viewport.addEventListener("resize", fit, life);
    viewport.addEventListener("scroll", fit, life);
  }
  listen();

  loadConfig().catch((error) => life.signal.aborted || report(error));
  if (host.page.open || fixed()) open(false);

  return {
    open,
    close,
    isOpen: () => isOpen,
    send(text) {
      if (typeof text !== "string") return;
      open(true);
      send(text, null);
    },
    newChat: fresh,
    // A new token resends the answer refused for the old one (streaming.ts, once).
    identify(token) {
      if (typeof token !== "string" || token === widget.user.token) return;
      widget.user.token = token;
      resend();
    },
    logout() {
      widget.user.token = "";
      fresh();
    },
    stop,
  };
}

/**
 * The core's /api/config (loaded once; after a failure the next message tries again), with the
 * views set up from it the first time it is here.
 */
export function loadConfig(): Promise<Result<ServerConfig>> {
  return host.loadConfig().then((result) => {
    if (result.ok && !applied) {
      applied = true;
      apply(result.value);
    }
    return result;
  });
}

function apply(loaded: ServerConfig): void {
  configured(loaded);
  const login = own(loaded.raw, "login");
  if (login) needLogin(loaded.app, login);
  panel.setHeader(loaded.title, loaded.description);
  composer.configure(loaded.textbox);
  // The saved conversations, else the menu of this one (download, delete).
  historyButton.hidden = false;
  historyButton.setAttribute(
    "aria-label",
    t(loaded.saveHistory ? "history_title" : "history_menu"),
  );
  // Additional inputs, or a layout with anything above or below the conversation.
  const layout = own(loaded.raw, "layout");
  const around = (side: string): boolean => {
    const items = own(layout, side);
    return Array.isArray(items) && items.length > 0;
  };
  wantsBlocks =
    !!own(loaded.raw, "additional_inputs") ||
    !!own(loaded.raw, "events") ||
    around("above") ||
    around("below");
  if (isOpen) prepare();
  if (restore(host.store())) open(false);
  // Always: the welcome and the list's name and direction hold for a restored
  // conversation too (its intro is out of the list then, ready for a reset).
  list.configure(loaded);
  list.notice(host.page.notice ?? ownString(loaded.raw, "notice"), privacy());
  greet();
  // The Chatbot's look: layout="panel", group_consecutive_messages=False,
  // allow_file_downloads=False (read by the media chunk), resizable.
  const chatbot = own(loaded.raw, "chatbot");
  const look = panel.el.classList;
  look.toggle("flat", own(chatbot, "layout") === "panel");
  look.toggle("apart", own(chatbot, "group_consecutive_messages") === false);
  look.toggle("nodl", own(chatbot, "allow_file_downloads") === false);
  if (own(chatbot, "resizable") === true) {
    chunk<Extras>(EXTRAS_KEY).then((x) => x.resizable(panel.el, host.corner() === "left"), report);
  }
  // An inline chat does not take the focus from the page it sits in; a panel opened
  // before the config came gets the composer focused now, as `autofocus` says.
  const asked = focusFrom !== undefined && focusFrom === focused();
  focusFrom = undefined;
  if (
    isOpen &&
    host.page.mode !== "inline" &&
    (loaded.textbox.autofocus || (asked && loaded.textbox.focusOnOpen))
  )
    composer.focus();
}

/**
 * What the open panel shows: markdown, the consent question while it is unanswered, the
 * blocks around the conversation once it is not (their `load` events call the server), and a
 * multimodal app's buttons to attach and record files (the uploads chunk).
 */
export function prepare(): void {
  loadRender();
  ask();
  if (wantsBlocks && consented()) loadBlocks().catch(report);
  if (config && config.multimodal) loadUploads().catch(report);
}

export function open(focus: boolean): void {
  if (isOpen) return;
  opened(true);
  root.classList.add("open");
  panel.el.hidden = false;
  host.launcher.setOpen(true);
  prepare();
  fit();
  list.scrollToEnd();
  if (focus && !config) focusFrom = focused();
  else if (focus && config && config.textbox.focusOnOpen) composer.focus();
  save();
  events.emit("open");
}

/** Inline and fullscreen chats stay open, without launcher. */
const fixed = (): boolean => host.page.mode !== "bubble";

/** The element with the focus, in the widget's shadow root first. */
const focused = (): Element | null =>
  (root.getRootNode() as ShadowRoot | Document).activeElement || document.activeElement;

export function close(focusLauncher: boolean): void {
  if (!isOpen || fixed()) return;
  focusFrom = undefined;
  const active = focused();
  opened(false);
  root.classList.remove("open");
  panel.el.hidden = true;
  host.launcher.setOpen(false);
  if (focusLauncher || (active && panel.el.contains(active))) host.launcher.el.focus();
  save();
  events.emit("close");
}
