// The widget's state owner: open/closed, the turns of the conversation, and the one answer
// that may be streaming. One visitor message makes exactly one POST /api/chat.

import { fetchConfig, streamChat, type ApiError, type Result } from "../api";
import { DEFAULT_LIMITS, type ServerConfig, type WidgetConfig } from "../config";
import { chatBody, charCount, type Exchange } from "../conversation";
import { el, on, report } from "../dom";
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
}

interface Turn {
  readonly user: string;
  readonly answer: AnswerView;
  text: string;
  status: "streaming" | "done" | "stopped" | "error";
}

export function App(widget: WidgetConfig): AppView {
  const turns: Turn[] = [];
  let config: ServerConfig | null = null;
  let loading: Promise<Result<ServerConfig>> | null = null;
  let streaming: AbortController | null = null;
  let isOpen = false;

  const list = MessageList();
  const composer = Composer({ send, stop });
  const panel = Panel(() => close(true), [list.el, composer.el]);
  const launcher = Launcher(() => (isOpen ? close(true) : open()));
  const root = el("div", { class: "root" }, [panel.el, launcher.el]);

  on(root, "keydown", (event) => {
    if (event.key === "Escape" && isOpen && !event.isComposing) {
      event.preventDefault();
      close(true);
    }
  });

  /** Loads /api/config once; after a failure the next message tries again. */
  function loadConfig(): Promise<Result<ServerConfig>> {
    if (!loading) {
      loading = fetchConfig(widget).then((result) => {
        if (result.ok) {
          config = result.value;
          panel.setTitle(config.title);
        } else {
          loading = null;
        }
        return result;
      });
    }
    return loading;
  }

  function open(): void {
    if (isOpen) return;
    isOpen = true;
    root.classList.add("open");
    panel.el.hidden = false;
    launcher.setOpen(true);
    list.scrollToEnd();
    composer.focus();
  }

  function close(focusLauncher: boolean): void {
    if (!isOpen) return;
    const active = (root.getRootNode() as ShadowRoot | Document).activeElement;
    isOpen = false;
    root.classList.remove("open");
    panel.el.hidden = true;
    launcher.setOpen(false);
    if (focusLauncher || (active && panel.el.contains(active))) launcher.el.focus();
  }

  function send(raw: string): boolean {
    const message = raw.trim();
    if (!message || streaming) return false;
    const limits = config ? config.limits : DEFAULT_LIMITS;
    const length = charCount(message);
    if (length > limits.maxMessageChars) {
      composer.notice(
        `Your message is too long (${length} characters; the limit is ${limits.maxMessageChars}).`,
      );
      return false;
    }
    composer.notice(null);
    composer.clear();
    for (let i = 0; i < turns.length; i++) (turns[i] as Turn).answer.dropRetry();
    const turn: Turn = { user: message, answer: list.add(message), text: "", status: "streaming" };
    turns.push(turn);
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
      const body = chatBody(turn.user, earlier, limits);
      const outcome = await streamChat(widget, body, controller.signal, (text) => {
        turn.text = text;
        turn.answer.setText(text);
      });
      if (outcome.kind === "error") fail(turn, outcome.error);
      else {
        turn.status = outcome.kind;
        turn.answer.finish(outcome.kind);
      }
    } finally {
      streaming = null;
      composer.setBusy(false);
    }
  }

  loadConfig().catch(report);

  return {
    el: root,
    open,
    close: () => close(false),
    toggle: () => (isOpen ? close(false) : open()),
  };
}
