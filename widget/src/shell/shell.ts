// One chat as the core runs it before anyone opens it: the root element with the launcher, the
// server's config (/api/config, fetched at once: the locale, the theme, the greeting and whether
// a conversation waits), the stylesheets, and the chat's API. The panel (the conversation, the
// composer, markdown) is the panel chunk (panel/types.ts), loaded when the chat first opens, when
// the visitor is about to (launcher.ts `onIntent`), and at once for an inline or fullscreen chat,
// `data-open`, or a conversation left open or still answering on the page before; with it, the
// extras chunk when a conversation is saved (it shows saved turns again). Module state: one chat
// per run of the bundle (ui/state.ts says why).

import { fetchConfig, type Result } from "../api";
import { palette, type Palette, type ServerConfig, type WidgetConfig } from "../config";
import { direction } from "../direction";
import { el, guard, on, report } from "../dom";
import type { Events } from "../events";
import { EXTRAS_KEY } from "../extras/types";
import { own, ownString } from "../json";
import { NUDGES_KEY, type Nudges } from "../nudges/types";
import type { PageConfig, ThemeMode } from "../page-config";
import { aboutPage, setContext } from "../page-context";
import {
  PANEL_KEY,
  type AppView,
  type LauncherView,
  type PanelApp,
  type PanelChunk,
} from "../panel/types";
import { hasTurns, read, resumes } from "../saved";
import { layoutCss, themeCss } from "../theme";
import { t } from "../translate";
import { Launcher } from "./launcher";
import { chunk, chunkCss, root, setUp, type ChunkHooks } from "./loader";
import { language, speak, strings } from "./locale";

const MODES: readonly string[] = ["light", "dark", "auto"];

const ending = new AbortController();
/** The options of this chat's listeners on the window and the viewport: unmount removes them. */
const life = { signal: ending.signal };
let page: PageConfig;
let widget: WidgetConfig;
let events: Events;
let setSheets: (extra: readonly string[]) => void;
let mode: ThemeMode;
let overrides: Palette;
/** /api/config once loaded (null until it has). */
let config: ServerConfig | null = null;
let loading: Promise<Result<ServerConfig>> | null = null;
/** The conversation's storage key, once the config is here. */
let store = "";
/** The conversation saved there has turns (read once the config is here). */
let saved = false;
let nudges: Promise<Nudges> | null = null;
/** The panel once here, its load, and its styles (the first sheet after the core's). */
let panel: PanelApp | null = null;
let launcher: LauncherView;
let coming: Promise<PanelApp> | null = null;
let base = "";

export function Shell(
  settings: WidgetConfig,
  pageConfig: PageConfig,
  emitter: Events,
  sheets: (extra: readonly string[]) => void,
  hooks: ChunkHooks,
): AppView {
  widget = settings;
  page = pageConfig;
  events = emitter;
  setSheets = sheets;
  mode = page.theme;
  overrides = page.primary ? { primary: page.primary } : {};

  launcher = Launcher(
    () => withPanel((app) => (app.isOpen() ? app.close(true) : app.open(true))),
    preload,
    page,
  );
  setUp(
    hooks,
    widget.baseUrl,
    life,
    el("div", { class: "root " + page.mode }, [launcher.el]),
    restyle,
  );
  if (page.locale) speak(page.locale);
  restyle();
  loadConfig().catch((error) => life.signal.aborted || report(error));
  if (page.open || fixed()) preload();

  return {
    el: root,
    open: () => withPanel((app) => app.open(true)),
    // Closing a panel on its way (after `open`) waits for it; without one there is nothing to.
    close: () => (panel || coming) && withPanel((app) => app.close(false)),
    toggle: () => withPanel((app) => (app.isOpen() ? app.close(false) : app.open(true))),
    send(text) {
      if (typeof text === "string") withPanel((app) => app.send(text));
    },
    newChat: () => withPanel((app) => app.newChat()),
    logout: () => withPanel((app) => app.logout()),
    identify(token) {
      if (panel) panel.identify(token);
      else if (typeof token === "string") widget.user.token = token;
    },
    on: emitter.on,
    context: setContext,
    strings,
    unmount() {
      if (panel) panel.stop();
      ending.abort();
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

/** Loads the panel chunk once (again after a failure) and starts it. */
function load(): Promise<PanelApp> {
  if (coming) return coming;
  coming = chunk<PanelChunk>(PANEL_KEY).then(
    (value) => {
      base = value.base;
      launcher.el.removeAttribute("title");
      restyle();
      return (panel = value.start({
        widget,
        page,
        events,
        life,
        root,
        launcher,
        chunk,
        restyle,
        loadConfig,
        store: () => store,
        nudge,
        aboutPage,
        corner,
      }));
    },
    (error) => {
      coming = null;
      // The launcher says why nothing opened; the next click tries again. An inline or
      // fullscreen chat, without launcher, says it where the chat would be.
      launcher.el.title = t("error_network");
      if (fixed()) unreachable();
      throw error;
    },
  );
  along();
  return coming;
}

/**
 * With the panel on its way: the extras chunk too, when the conversation saved on an earlier
 * page has turns (the chunk shows them again), so that they come without one more round trip
 * after the panel's. The loader loads it once (the panel asks for it as well).
 */
function along(): void {
  if (saved) chunk(EXTRAS_KEY).catch(ignore);
}

/** Where an inline or fullscreen chat would be: why it is not, and a button to try again. */
function unreachable(): void {
  const retry = el("button", { type: "button" }, [t("answer_retry")]);
  const note = el("div", { class: "unreachable", role: "alert" }, [t("error_network"), " ", retry]);
  on(retry, "click", () => {
    note.remove();
    preload();
  });
  root.append(note);
}

/** Runs `then` with the panel: at once when it is here, else once it has loaded (a panel that
 * cannot load says so on the launcher, `load`). */
function withPanel(then: (app: PanelApp) => void): void {
  if (panel) then(panel);
  else load().then(guard(then), ignore);
}

/** Starts loading the panel (the visitor is about to open it, or it opens by itself). */
function preload(): void {
  load().catch(ignore);
}

const ignore = (): void => undefined;

/** The stylesheets after the core's: the panel's, the theme and layout, the chunks', `css`. */
function restyle(): void {
  const light = config ? config.light : {};
  const dark = config ? config.dark : {};
  // The whole widget mirrors for an RTL locale or Chatbot(rtl=True); the default corner too.
  root.dir = direction(language() || page.locale, !!config && config.chatbot.rtl);
  setSheets([
    base,
    themeCss(light, dark, overrides, mode) +
      layoutCss(page, config ? config.chatbot : null, corner()),
    ...chunkCss,
    config ? config.css : "",
  ]);
}

/** Loads /api/config once; after a failure the next call (a message) tries again. */
function loadConfig(): Promise<Result<ServerConfig>> {
  return (loading ||= fetchConfig(widget, page.locale, life.signal).then((result) => {
    speak(page.locale || ownString(result.ok && result.value.raw, "locale"));
    if (result.ok) {
      config = result.value;
      // Inline chats: one conversation per element.
      store = "chatbubble:" + widget.origin + ":" + config.app + (fixed() ? ":" + page.target : "");
      const copy = read(store);
      saved = hasTurns(copy);
      // The panel may be on its way already (inline, fullscreen, `data-open`).
      if (coming) along();
      else if (resumes(copy)) preload();
      let kept = null;
      try {
        kept = sessionStorage.getItem(store + ":unread");
      } catch {
        // storage refused: no badge kept from an earlier page
      }
      if (!fixed() && (page.greeting || own(own(config.raw, "greeting"), "text") || kept))
        nudge().catch(report);
      restyle();
    } else {
      loading = null;
    }
    return result;
  }));
}

/**
 * The nudges chunk (the greeting, the unread badge), set up once: when the config has come with
 * a greeting or a badge is kept, and when an answer finishes while the panel is closed.
 */
function nudge(): Promise<Nudges> {
  return (nudges ||= chunk<Nudges>(NUDGES_KEY).then((value) => {
    value.start({
      root,
      launcher: launcher.el,
      page,
      raw: config && config.raw,
      key: store,
      events,
      life,
      isOpen: () => !!panel && panel.isOpen(),
    });
    return value;
  }));
}

/** The launcher's corner: `data-position`, else the inline end (left when right to left). */
const corner = (): "left" | "right" => page.position || (root.dir === "rtl" ? "left" : "right");

/** Inline and fullscreen chats stay open, without launcher. */
const fixed = (): boolean => page.mode !== "bubble";
