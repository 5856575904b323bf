// The widget's state owner: open/closed, the turns of the conversation, the one answer that
// may be streaming, and the look (theme mode and palette overrides). One visitor message makes
// exactly one POST /api/chat.

import { fetchConfig, postJson, streamChat, type ApiError, type Result } from "../api";
import {
  DEFAULT_LIMITS,
  palette,
  type Palette,
  type ServerConfig,
  type WidgetConfig,
} from "../config";
import { chatBody, charCount, type Exchange } from "../conversation";
import { el, guard, on, report } from "../dom";
import type { Events } from "../events";
import type { Extras, HistoryView } from "../extras/types";
import { encodeJson, own, type Json } from "../json";
import type { PageConfig, ThemeMode } from "../page-config";
import { layoutCss, themeCss } from "../theme";
import type { AnswerView } from "./answer";
import { Composer } from "./composer";
import { Launcher } from "./launcher";
import { MessageList, type Added } from "./messages";
import { Panel } from "./panel";

export interface AppView {
  readonly el: HTMLDivElement;
  open(): void;
  close(): void;
  toggle(): void;
  send(text: unknown): void;
  newChat(): void;
  setTheme(theme: unknown): void;
}

interface Turn {
  readonly user: string;
  readonly answer: AnswerView;
  /** The turn's place in the list (the visitor's bubble, removal). */
  readonly view: Added;
  /** The example's index when the turn came from an example click. */
  readonly example: number | null;
  text: string;
  status: "streaming" | "done" | "stopped" | "error";
  /** The `done` event's signed id (flagging on), and the error shown when it failed. */
  id: string | null;
  error: string;
  /** The visitor's feedback on the answer ("" for none), kept across pages. */
  flag: string;
}

/** An anonymous conversation id (8–64 of `A-Za-z0-9_-`). */
const newId = (): string => "c" + Math.random().toString(36).slice(2) + Date.now().toString(36);

const MODES: readonly string[] = ["light", "dark", "auto"];

export function App(
  widget: WidgetConfig,
  page: PageConfig,
  events: Events,
  setSheets: (extra: readonly string[]) => void,
  hook: { take: ((extras: unknown) => void) | null },
): AppView {
  let turns: Turn[] = [];
  let config: ServerConfig | null = null;
  let loading: Promise<Result<ServerConfig>> | null = null;
  let streaming: AbortController | null = null;
  let isOpen = false;
  let mode: ThemeMode = page.theme;
  let overrides: Palette = page.primary ? { primary: page.primary } : {};
  /** sessionStorage key of the conversation (backend origin + app), once the config is known. */
  let key = "";
  let conversationId = newId();
  let extras: Promise<Extras> | null = null;
  let extrasCss = "";
  /** The saved conversations (`save_history`), once the extras chunk is here. */
  let history: HistoryView | null = null;

  const list = MessageList(example, () => (config ? config.chatbot : null));
  const composer = Composer({ send: (text) => send(text, null), stop });
  const panel = Panel(() => close(true), [list.el, composer.el]);
  const launcher = Launcher(() => (isOpen ? close(true) : open(true)), page);
  const root = el("div", { class: "root" }, [panel.el, launcher.el, list.live]);
  if (launcher.greeting) root.append(launcher.greeting);
  const historyButton = el(
    "button",
    { type: "button", class: "hist", "aria-label": "Chat history", "aria-expanded": "false" },
    ["\u2630"],
  );
  historyButton.hidden = true;
  on(historyButton, "click", () => {
    loadExtras().then(
      guard(() => history && history.toggle()),
      () => undefined,
    );
  });
  const header = panel.el.firstChild as HTMLElement;
  header.insertBefore(historyButton, header.lastChild);

  on(root, "keydown", (event) => {
    if (event.key === "Escape" && isOpen && !event.isComposing) {
      event.preventDefault();
      close(true);
    }
  });

  /** The composer stays above an on-screen keyboard: the panel follows the visual viewport. */
  const viewport = window.visualViewport;
  const fit = guard(() => {
    if (!viewport) return;
    root.style.setProperty("--vvh", viewport.height + "px");
    root.style.setProperty("--vvt", viewport.offsetTop + "px");
  });
  if (viewport) {
    viewport.addEventListener("resize", fit);
    viewport.addEventListener("scroll", fit);
  }

  function restyle(): void {
    const light = config ? config.light : {};
    const dark = config ? config.dark : {};
    const css = config ? config.css : "";
    setSheets([
      themeCss(light, dark, overrides, mode) + layoutCss(page, config ? config.chatbot : null),
      extrasCss,
      css,
    ]);
  }

  /** Loads /api/config once; after a failure the next message tries again. */
  function loadConfig(): Promise<Result<ServerConfig>> {
    if (!loading) {
      loading = fetchConfig(widget).then((result) => {
        if (result.ok) {
          config = result.value;
          panel.setHeader(config.title, config.description);
          composer.configure(config.textbox);
          historyButton.hidden = !config.saveHistory;
          if (!key) restore("chatbubble:" + widget.origin + ":" + config.app);
          if (!turns.length) list.configure(config);
          restyle();
          if (isOpen && config.textbox.autofocus) composer.focus();
        } else {
          loading = null;
        }
        return result;
      });
    }
    return loading;
  }

  /** Keeps the conversation and the open state for the next page of the site (this tab). */
  function snapshot(): Json[][] {
    return turns.map((t) => [
      t.user,
      t.text,
      t.status === "streaming" ? "stopped" : t.status,
      t.id,
      t.error,
      t.flag,
    ]);
  }

  function save(): void {
    if (!key) return;
    const saved = snapshot();
    try {
      sessionStorage.setItem(key, encodeJson({ o: isOpen, c: conversationId, t: saved }));
    } catch {
      // full or forbidden storage: the conversation just won't survive navigation
    }
    if (history) history.save(conversationId, saved);
  }

  function restore(storageKey: string): void {
    key = storageKey;
    let saved: unknown = null;
    let raw: string | null = null;
    try {
      raw = sessionStorage.getItem(key);
    } catch {
      // forbidden storage: start empty
    }
    try {
      if (raw) saved = JSON.parse(raw);
    } catch {
      console.warn("chatbubble storage: discarded a corrupt conversation");
      try {
        sessionStorage.removeItem(key);
      } catch {
        // nothing more to do
      }
    }
    const items = own(saved, "t");
    const id = own(saved, "c");
    if (typeof id === "string" && /^[\w-]{8,64}$/.test(id)) conversationId = id;
    if (Array.isArray(items) && !turns.length) fill(items);
    if (own(saved, "o") === true) open(false);
  }

  /** Shows saved turns (as `save` writes them) in an empty conversation. */
  function fill(items: readonly unknown[]): void {
    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i];
      if (!Array.isArray(item)) continue;
      const [user, text, status, answerId, error, flag] = item as unknown[];
      if (typeof user !== "string" || typeof text !== "string") continue;
      const view = list.add(user);
      const turn: Turn = {
        user,
        answer: view.answer,
        view,
        example: null,
        text,
        status: status === "done" || status === "error" ? status : "stopped",
        id: typeof answerId === "string" ? answerId : null,
        error: String(error || ""),
        flag: typeof flag === "string" ? flag : "",
      };
      turns.push(turn);
      if (text) turn.answer.setText(text);
      if (turn.status === "error") turn.answer.fail(turn.error, () => retry(turn));
      else turn.answer.finish(turn.status as "done");
      decorate(turn);
    }
    for (let i = 0; i < turns.length - 1; i++) (turns[i] as Turn).answer.dropRetry();
  }

  /** Loads the extras chunk once, into the shadow root; it hands its exports to `hook`. */
  function loadExtras(): Promise<Extras> {
    return (extras ||= new Promise((resolve, reject) => {
      hook.take = (value) => {
        extrasCss = (value as Extras).css;
        restyle();
        if (config && config.saveHistory) {
          history = (value as Extras).history({
            panel: panel.el,
            button: historyButton,
            store: key,
            current: () => conversationId,
            load(id, items) {
              fresh();
              conversationId = id;
              fill(items);
              save();
            },
            fresh,
          });
          save();
        }
        resolve(value as Extras);
      };
      const script = el("script", { src: widget.baseUrl + "widget/extras.js" });
      script.onerror = () => reject((extras = null));
      root.getRootNode().appendChild(script);
    }));
  }

  /** Removes `turn` and every later one; false while an answer streams. */
  function cut(turn: Turn): boolean {
    const index = turns.indexOf(turn);
    if (streaming || index < 0) return false;
    const gone = turns.splice(index);
    for (let i = 0; i < gone.length; i++) (gone[i] as Turn).view.remove();
    if (!turns.length) clear();
    save();
    return true;
  }

  function clear(): void {
    list.reset();
    if (config) list.configure(config);
  }

  /** Actions, Copy and feedback buttons of a finished turn, from the extras chunk. */
  function decorate(turn: Turn): void {
    const { id, text, status } = turn;
    if (!config || status === "streaming") return;
    const context = {
      bubble: turn.answer.el,
      user: turn.view.user,
      mine: turn.view.mine,
      question: turn.user,
      answer: status === "error" ? "" : text,
      copy: config.chatbot.showCopyButton,
      options: id ? config.flagging : null,
      id,
      flag: turn.flag,
      flagged: (flag: string) => {
        turn.flag = flag;
        save();
      },
      sent: bodyOf(turn),
      conversationId,
      store: key,
      post: (body: string) => postJson(widget, "api/feedback", body),
      retry: () => retry(turn),
      undo: () => cut(turn) && composer.fill(turn.user),
      edit: config.editable ? (next: string) => cut(turn) && send(next, null) : null,
    };
    // Without the chunk (say, the server went away) the turn just has no buttons.
    loadExtras().then(
      guard((x: Extras) => {
        if (turn.text === text && turns.includes(turn)) x.answer(context);
        list.follow();
      }),
      () => undefined,
    );
  }

  /** The chat request body for `turn`: the finished turns before it as history. */
  function bodyOf(turn: Turn): string {
    const earlier: Exchange[] = [];
    for (let i = 0; i < turns.length && turns[i] !== turn; i++) {
      const done = turns[i] as Turn;
      if ((done.status === "done" || done.status === "stopped") && done.text) {
        earlier.push({ user: done.user, assistant: done.text });
      }
    }
    return chatBody(turn.user, earlier, config ? config.limits : DEFAULT_LIMITS, turn.example);
  }

  function open(focus: boolean): void {
    if (isOpen) return;
    isOpen = true;
    root.classList.add("open");
    panel.el.hidden = false;
    launcher.setOpen(true);
    fit();
    list.scrollToEnd();
    if (focus) composer.focus();
    save();
    events.emit("open");
  }

  function close(focusLauncher: boolean): void {
    if (!isOpen) return;
    const active = (root.getRootNode() as ShadowRoot | Document).activeElement;
    isOpen = false;
    root.classList.remove("open");
    panel.el.hidden = true;
    launcher.setOpen(false);
    if (focusLauncher || (active && panel.el.contains(active))) launcher.el.focus();
    save();
    events.emit("close");
  }

  function example(index: number): void {
    const chosen = config ? config.examples[index] : undefined;
    if (!config || !chosen) return;
    if (config.runExamplesOnClick) send(chosen.text, index);
    else composer.fill(chosen.text);
  }

  function send(raw: string, exampleIndex: number | null): boolean {
    const message = exampleIndex === null ? raw.trim() : raw;
    if (!message.trim() || streaming) return false;
    const limits = config ? config.limits : DEFAULT_LIMITS;
    const max = Math.min(limits.maxMessageChars, (config && config.textbox.maxLength) || Infinity);
    const length = charCount(message);
    if (length > max) {
      composer.notice(`Your message is too long (${length} characters; the limit is ${max}).`);
      return false;
    }
    composer.notice(null);
    if (exampleIndex === null) composer.clear();
    for (let i = 0; i < turns.length; i++) (turns[i] as Turn).answer.dropRetry();
    const view = list.add(message);
    const turn: Turn = {
      user: message,
      answer: view.answer,
      view,
      example: exampleIndex,
      text: "",
      status: "streaming",
      id: null,
      error: "",
      flag: "",
    };
    turns.push(turn);
    save();
    events.emit("message", { role: "user", content: message });
    run(turn).catch(report);
    return true;
  }

  function stop(): void {
    if (streaming) streaming.abort();
  }

  function retry(turn: Turn): void {
    if (streaming || turns[turns.length - 1] !== turn) return;
    turn.text = "";
    turn.id = null;
    turn.status = "streaming";
    turn.answer.restart();
    run(turn).catch(report);
  }

  function fail(turn: Turn, error: ApiError): void {
    turn.status = "error";
    turn.error = error.message;
    turn.answer.fail(error.message, () => retry(turn));
    decorate(turn);
    events.emit("error", { message: error.message, code: error.code || error.kind });
  }

  async function run(turn: Turn): Promise<void> {
    const controller = new AbortController();
    streaming = controller;
    composer.setBusy(true);
    try {
      const loaded = config ? null : await loadConfig();
      if (controller.signal.aborted) {
        turn.status = "stopped";
        turn.answer.finish("stopped");
        return;
      }
      if (loaded && !loaded.ok) {
        fail(turn, loaded.error);
        return;
      }
      const outcome = await streamChat(widget, bodyOf(turn), controller.signal, (text) => {
        turn.text = text;
        turn.answer.setText(text);
      });
      if (!turns.includes(turn)) return; // a new chat started meanwhile
      if (outcome.kind === "error") fail(turn, outcome.error);
      else {
        turn.status = outcome.kind;
        if (outcome.kind === "done") turn.id = outcome.id;
        turn.answer.finish(outcome.kind);
        decorate(turn);
        const spoken = turn.answer.spoken();
        if (spoken) list.announce(spoken);
        if (turn.text) events.emit("message", { role: "assistant", content: turn.text });
      }
    } finally {
      if (streaming === controller) {
        streaming = null;
        composer.setBusy(false);
      }
      save();
    }
  }

  function fresh(): void {
    if (!history && turns.length && config && config.saveHistory) {
      // The history code has not loaded yet: keep this conversation once it has.
      const id = conversationId;
      const saved = snapshot();
      loadExtras().then(
        () => history && history.save(id, saved),
        () => undefined,
      );
    }
    stop();
    streaming = null;
    composer.setBusy(false);
    turns = [];
    conversationId = newId();
    save();
    clear();
  }

  window.addEventListener("pagehide", guard(save));
  restyle();
  loadConfig().catch(report);
  if (page.open) open(false);

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
    setTheme(theme) {
      if (typeof theme === "string" && MODES.indexOf(theme) >= 0) mode = theme as ThemeMode;
      else if (typeof theme === "object" && theme !== null)
        overrides = { ...overrides, ...palette(theme) };
      else return;
      restyle();
    },
  };
}
