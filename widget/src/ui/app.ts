// The widget's view wiring: the launcher, the panel with the message list and the composer,
// open/closed, the server's config (/api/config) and the look (theme mode and palette
// overrides). Behind the views are the chunks (chunks.ts: the parts of the widget few visitors
// need, loaded on first use) and the conversation (turns.ts, with the answer that may be
// streaming in streaming.ts). All of them share the views and the config through state.ts, at
// module scope (state.ts says why); chunks.ts imports `restyle` and streaming.ts `loadConfig`
// back from here.

import { fetchConfig, type Result } from "../api";
import { palette, type Palette, type ServerConfig, type WidgetConfig } from "../config";
import { el, guard, on, report } from "../dom";
import { expandIcon } from "../icons";
import type { Events } from "../events";
import { EXTRAS_KEY, type Extras } from "../extras/types";
import { own, ownString } from "../json";
import type { PageConfig, ThemeMode } from "../page-config";
import { setContext } from "../page-context";
import { RECORDER_KEY, type Recorder } from "../recorder/types";
import { direction } from "../direction";
import { layoutCss, themeCss } from "../theme";
import type { UploadsView } from "../uploads/types";
import {
  chunk,
  chunkCss,
  loadBlocks,
  loadRender,
  loadUploads,
  markdown,
  rich,
  steps,
} from "./chunks";
import { Composer } from "./composer";
import { ask, consented, privacy } from "./consent";
import { Launcher, type LauncherView } from "./launcher";
import { language, speak, strings } from "./locale";
import { needLogin } from "./login";
import { NUDGES_KEY, type Nudges } from "../nudges/types";
import { MessageList } from "./messages";
import { Panel } from "./panel";
import {
  composer,
  config,
  configured,
  end,
  events,
  historyButton,
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
import type { ChunkHooks } from "./state";
import { fresh, greet, listen, restore, save, turns } from "./turns";
import { t } from "../translate";

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

const MODES: readonly string[] = ["light", "dark", "auto"];

export let page: PageConfig;
let setSheets: (extra: readonly string[]) => void;
let launcher: LauncherView;
let loading: Promise<Result<ServerConfig>> | null = null;
let mode: ThemeMode;
let overrides: Palette;
/** The config asks for the blocks chunk (inputs or a layout), loaded when the panel opens. */
let wantsBlocks = false;
/** The conversation's storage key, once the config is here. */
let store = "";
let nudges: Promise<Nudges> | null = null;
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

export function App(
  settings: WidgetConfig,
  pageConfig: PageConfig,
  emitter: Events,
  sheets: (extra: readonly string[]) => void,
  hooks: ChunkHooks,
): AppView {
  page = pageConfig;
  setSheets = sheets;
  mode = page.theme;
  overrides = page.primary ? { primary: page.primary } : {};

  // The views; from `init` on, the rest reads them from state.ts.
  const messages = MessageList(
    example,
    () => (config ? config.chatbot : null),
    rich,
    steps,
    markdown,
  );
  const input = Composer({
    send: choose,
    stop,
    files: attach,
    record(button) {
      Promise.all([loadUploads(), chunk<Recorder>(RECORDER_KEY)]).then(
        guard(([view, recorder]: [UploadsView, Recorder]) =>
          recorder.record({
            button,
            notice: composer.notice,
            done: (file) => view.add([file]),
            life,
          }),
        ),
        () => composer.notice(t("composer_files_unavailable")),
      );
    },
  });
  const frame = Panel(() => close(true), [messages.el, input.el], markdown);
  launcher = Launcher(() => (isOpen ? close(true) : open(true)), page);
  const top = el("div", { class: "root " + page.mode }, [frame.el, launcher.el, messages.live]);
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
  // Inline and fullscreen: always open, a region of the page rather than a dialog.
  if (fixed()) frame.el.setAttribute("role", "region");
  init(settings, emitter, hooks, messages, input, frame, top, hist);
  if (page.locale) speak(page.locale);

  // Files dropped on the panel are attached (multimodal apps); a hint shows while dragging.
  let dragTimer = 0;
  const dropping = (event: DragEvent): boolean => {
    const types = event.dataTransfer ? event.dataTransfer.types : [];
    if (!canAttach() || Array.prototype.indexOf.call(types, "Files") < 0) return false;
    event.preventDefault();
    clearTimeout(dragTimer);
    return true;
  };
  on(panel.el, "dragover", (event) => {
    if (!dropping(event)) return;
    panel.el.classList.add("dropping");
    dragTimer = window.setTimeout(() => panel.el.classList.remove("dropping"), 300);
  });
  on(panel.el, "drop", (event) => {
    if (!dropping(event)) return;
    panel.el.classList.remove("dropping");
    const files = event.dataTransfer && event.dataTransfer.files;
    if (files) attach(Array.from(files));
  });

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

  restyle();
  loadConfig().catch((error) => life.signal.aborted || report(error));
  if (page.open || fixed()) open(false);

  return {
    el: root,
    open: () => open(true),
    close: () => close(false),
    toggle: () => (isOpen ? close(false) : open(true)),
    send(text) {
      if (typeof text !== "string") return;
      open(true);
      send(text, null);
    },
    newChat: fresh,
    on: emitter.on,
    context: setContext,
    strings,
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
    unmount() {
      stop();
      end();
      (root.getRootNode() as ShadowRoot).host.remove();
    },
    setTheme(theme) {
      if (typeof theme === "string" && MODES.indexOf(theme) >= 0) mode = theme as ThemeMode;
      else if (typeof theme === "object" && theme !== null)
        overrides = { ...overrides, ...palette(theme) };
      else return;
      restyle();
    },
  };
}

/** The stylesheets after the base one: the theme and layout, the chunks', the app's `css`. */
export function restyle(): void {
  const light = config ? config.light : {};
  const dark = config ? config.dark : {};
  const css = config ? config.css : "";
  // The whole widget mirrors for an RTL locale or Chatbot(rtl=True); the default corner too.
  root.dir = direction(language() || page.locale, !!config && config.chatbot.rtl);
  setSheets([
    themeCss(light, dark, overrides, mode) +
      layoutCss(page, config ? config.chatbot : null, corner()),
    ...chunkCss,
    css,
  ]);
}

/** Loads /api/config once; after a failure the next message tries again. */
export function loadConfig(): Promise<Result<ServerConfig>> {
  if (!loading) {
    loading = fetchConfig(widget, page.locale, life.signal).then((result) => {
      speak(page.locale || ownString(result.ok && result.value.raw, "locale"));
      if (result.ok) {
        const loaded = result.value;
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
        const multimodal = loaded.multimodal;
        if (multimodal) composer.multimodal(multimodal, canRecord(multimodal));
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
        // Inline chats: one conversation per element.
        store =
          "chatbubble:" + widget.origin + ":" + loaded.app + (fixed() ? ":" + page.target : "");
        if (restore(store)) open(false);
        let kept = null;
        try {
          kept = sessionStorage.getItem(store + ":unread");
        } catch {
          // storage refused: no badge kept from an earlier page
        }
        if (!fixed() && (page.greeting || own(own(loaded.raw, "greeting"), "text") || kept))
          nudge();
        // Always: the welcome and the list's name and direction hold for a restored
        // conversation too (its intro is out of the list then, ready for a reset).
        list.configure(loaded);
        list.notice(page.notice ?? ownString(loaded.raw, "notice"), privacy());
        greet();
        // The Chatbot's look: layout="panel", group_consecutive_messages=False,
        // allow_file_downloads=False (read by the media chunk), resizable.
        const chatbot = own(loaded.raw, "chatbot");
        const look = panel.el.classList;
        look.toggle("flat", own(chatbot, "layout") === "panel");
        look.toggle("apart", own(chatbot, "group_consecutive_messages") === false);
        look.toggle("nodl", own(chatbot, "allow_file_downloads") === false);
        if (own(chatbot, "resizable") === true) {
          chunk<Extras>(EXTRAS_KEY).then((x) => x.resizable(panel.el, corner() === "left"), report);
        }
        restyle();
        // An inline chat does not take the focus from the page it sits in; a panel opened
        // before the config came gets the composer focused now, as `autofocus` says.
        const asked = focusFrom !== undefined && focusFrom === focused();
        focusFrom = undefined;
        if (
          isOpen &&
          page.mode !== "inline" &&
          (loaded.textbox.autofocus || (asked && loaded.textbox.focusOnOpen))
        )
          composer.focus();
      } else {
        loading = null;
      }
      return result;
    });
  }
  return loading;
}

/**
 * The nudges chunk (the greeting, the unread badge), set up once: when the config has come with
 * a greeting or a badge is kept, and when an answer finishes while the panel is closed.
 */
export function nudge(): Promise<Nudges> {
  return (nudges ||= chunk<Nudges>(NUDGES_KEY).then((x) => {
    x.start({
      root,
      launcher: launcher.el,
      page,
      raw: config && config.raw,
      key: store,
      events,
      life,
      isOpen: () => isOpen,
    });
    return x;
  }));
}

/**
 * What the open panel shows: markdown, the consent question while it is unanswered, and the
 * blocks around the conversation once it is not (their `load` events call the server).
 */
export function prepare(): void {
  loadRender();
  ask();
  if (wantsBlocks && consented()) loadBlocks().catch(report);
}

const canAttach = (): boolean =>
  consented() &&
  !!config &&
  !!config.multimodal &&
  config.multimodal.sources.indexOf("upload") >= 0;

/** "Record audio" with the microphone source (recordings pass any `file_types`). */
function canRecord(options: NonNullable<ServerConfig["multimodal"]>): boolean {
  return options.sources.indexOf("microphone") >= 0 && typeof MediaRecorder === "function";
}

function attach(files: File[]): void {
  if (!files.length || !canAttach()) return;
  loadUploads().then(
    guard((view: UploadsView) => view.add(files)),
    () => composer.notice(t("composer_files_unavailable")),
  );
}

function open(focus: boolean): void {
  if (isOpen) return;
  opened(true);
  root.classList.add("open");
  panel.el.hidden = false;
  launcher.setOpen(true);
  prepare();
  fit();
  list.scrollToEnd();
  if (focus && !config) focusFrom = focused();
  else if (focus && config && config.textbox.focusOnOpen) composer.focus();
  save();
  events.emit("open");
}

/** The launcher's corner: `data-position`, else the inline end (left when right to left). */
const corner = (): "left" | "right" => page.position || (root.dir === "rtl" ? "left" : "right");

/** Inline and fullscreen chats stay open, without launcher. */
const fixed = (): boolean => page.mode !== "bubble";

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
  launcher.setOpen(false);
  if (focusLauncher || (active && panel.el.contains(active))) launcher.el.focus();
  save();
  events.emit("close");
}
