// The widget's state owner: open/closed, the turns of the conversation, the one answer that
// may be streaming, and the look (theme mode and palette overrides). One visitor message makes
// exactly one POST /api/chat.

import { fetchConfig, streamChat, type ApiError, type Result } from "../api";
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
import type { PageConfig, ThemeMode } from "../page-config";
import { layoutCss, themeCss } from "../theme";
import type { AnswerView } from "./answer";
import { Composer } from "./composer";
import { Launcher } from "./launcher";
import { MessageList } from "./messages";
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
  /** The example's index when the turn came from an example click. */
  readonly example: number | null;
  text: string;
  status: "streaming" | "done" | "stopped" | "error";
}

const MODES: readonly string[] = ["light", "dark", "auto"];

export function App(
  widget: WidgetConfig,
  page: PageConfig,
  events: Events,
  setSheets: (extra: readonly string[]) => void,
): AppView {
  let turns: Turn[] = [];
  let config: ServerConfig | null = null;
  let loading: Promise<Result<ServerConfig>> | null = null;
  let streaming: AbortController | null = null;
  let isOpen = false;
  let mode: ThemeMode = page.theme;
  let overrides: Palette = page.primary ? { primary: page.primary } : {};

  const list = MessageList(example, () => (config ? config.chatbot : null));
  const composer = Composer({ send: (text) => send(text, null), stop });
  const panel = Panel(() => close(true), [list.el, composer.el]);
  const launcher = Launcher(() => (isOpen ? close(true) : open(true)), page);
  const root = el("div", { class: "root" }, [panel.el, launcher.el, list.live]);
  if (launcher.greeting) root.append(launcher.greeting);

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

  function open(focus: boolean): void {
    if (isOpen) return;
    isOpen = true;
    root.classList.add("open");
    panel.el.hidden = false;
    launcher.setOpen(true);
    fit();
    list.scrollToEnd();
    if (focus) composer.focus();
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
    const answer = list.add(message);
    const turn: Turn = {
      user: message,
      answer,
      example: exampleIndex,
      text: "",
      status: "streaming",
    };
    turns.push(turn);
    events.emit("message", { role: "user", content: message });
    run(turn).catch(report);
    return true;
  }

  function stop(): void {
    if (streaming) streaming.abort();
  }

  function retry(turn: Turn): void {
    if (streaming || turns[turns.length - 1] !== turn || turn.status !== "error") return;
    turn.text = "";
    turn.status = "streaming";
    turn.answer.restart();
    run(turn).catch(report);
  }

  function fail(turn: Turn, error: ApiError): void {
    turn.status = "error";
    turn.answer.fail(error.message, () => retry(turn));
    events.emit("error", { message: error.message, code: error.code || error.kind });
  }

  async function run(turn: Turn): Promise<void> {
    const controller = new AbortController();
    streaming = controller;
    composer.setBusy(true);
    try {
      const earlier: Exchange[] = [];
      for (let i = 0; i < turns.length && turns[i] !== turn; i++) {
        const done = turns[i] as Turn;
        if ((done.status === "done" || done.status === "stopped") && done.text) {
          earlier.push({ user: done.user, assistant: done.text });
        }
      }
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
      const limits = config ? config.limits : DEFAULT_LIMITS;
      const body = chatBody(turn.user, earlier, limits, turn.example);
      const outcome = await streamChat(widget, body, controller.signal, (text) => {
        turn.text = text;
        turn.answer.setText(text);
      });
      if (!turns.includes(turn)) return; // a new chat started meanwhile
      if (outcome.kind === "error") fail(turn, outcome.error);
      else {
        turn.status = outcome.kind;
        turn.answer.finish(outcome.kind);
        const spoken = turn.answer.spoken();
        if (spoken) list.announce(spoken);
        if (turn.text) events.emit("message", { role: "assistant", content: turn.text });
      }
    } finally {
      if (streaming === controller) {
        streaming = null;
        composer.setBusy(false);
      }
    }
  }

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
    newChat() {
      stop();
      streaming = null;
      composer.setBusy(false);
      turns = [];
      list.reset();
      if (config) list.configure(config);
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
