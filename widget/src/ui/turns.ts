// The conversation: its turns, its anonymous id and its copy in sessionStorage (under the
// backend origin and app), which the next page of the site reads. What the extras chunk adds to
// it is set up here too: the buttons of a finished turn and the saved conversations
// (`save_history`). The answer that may be streaming is the streaming controller's
// (streaming.ts), which this creates.

import { postJson, type Live, type Result } from "../api";
import type { BlocksView } from "../blocks/types";
import type { ServerConfig, WidgetConfig } from "../config";
import { guard, on } from "../dom";
import type { Events } from "../events";
import { EXTRAS_KEY, type Extras, type HistoryView } from "../extras/types";
import { encodeJson, own, type Json } from "../json";
import type { FilePart, Part } from "../parts";
import type { UploadsView } from "../uploads/types";
import type { AnswerView } from "./answer";
import type { ComposerView } from "./composer";
import type { Added, MessageListView } from "./messages";
import type { PanelView } from "./panel";
import { reply, streamer } from "./streaming";

export interface Turn {
  readonly user: string;
  /** The files the visitor sent with the message. */
  readonly files: readonly FilePart[];
  readonly answer: AnswerView;
  /** The turn's place in the list (the visitor's bubble, removal). */
  readonly view: Added;
  /** The example's index when the turn came from an example click. */
  readonly example: number | null;
  /** The answer's text (of its text parts, when it has parts). */
  text: string;
  /** The answer's parts; null for a text answer. */
  parts: Part[] | null;
  status: "streaming" | "done" | "stopped" | "error";
  /** The `done` event's signed id (flagging on), and the error shown when it failed. */
  id: string | null;
  error: string;
  /** The visitor's feedback on the answer ("" for none), kept across pages. */
  flag: string;
  /** While it streams: where its stream stands (another page of the site reads it on). */
  live: Live | null;
}

/** An anonymous conversation id (8–64 of `A-Za-z0-9_-`). */
const newId = (): string => "c" + Math.random().toString(36).slice(2) + Date.now().toString(36);

/**
 * The conversation, from the app's views and state and the chunks' loaders; the getters
 * (`config`, `tray`, `blocks`, `isOpen`) read current values, and the first nine arguments go
 * on to the streaming controller as they are. Returns, in this order: the turns, `save`,
 * `restore`, `fresh` (a new chat), `send` and `stop`.
 */
export function conversation(
  widget: WidgetConfig,
  list: MessageListView,
  composer: ComposerView,
  config: () => ServerConfig | null,
  events: Events,
  loadConfig: () => Promise<Result<ServerConfig>>,
  tray: () => UploadsView | null,
  showOutputs: (values: unknown) => void,
  blocks: () => BlocksView | null,
  panel: PanelView,
  historyButton: HTMLButtonElement,
  isOpen: () => boolean,
  open: (focus: boolean) => void,
  refill: (text: string, files: readonly FilePart[]) => void,
  chunk: <T>(key: string) => Promise<T>,
  loadRender: () => unknown,
) {
  /** The turns in order; the streaming controller adds to this same array (never replaced). */
  const turns: Turn[] = [];
  /** sessionStorage key of the conversation (backend origin + app), once the config is known. */
  let key = "";
  let conversationId = newId();
  /** The page is being left: nothing more is saved. */
  let leaving = false;
  let extras: Promise<Extras> | null = null;
  /** The saved conversations (`save_history`), once the extras chunk is here. */
  let history: HistoryView | null = null;

  on(historyButton, "click", () => {
    loadExtras().then(
      guard(() => history && history.toggle()),
      () => undefined,
    );
  });

  /**
   * The turns as saved: `[user, text, status, answer id, error, flag, parts, files]`, and for an
   * answer still streaming (saved as "stopped") with `streams`, `[stream, token, last event id]`
   * so that the next page of the site reads the rest.
   */
  function snapshot(streams: boolean): Json[][] {
    return turns.map((t) => {
      const item: Json[] = [
        t.user,
        t.text,
        t.status === "streaming" ? "stopped" : t.status,
        t.id,
        t.error,
        t.flag,
        t.parts as unknown as Json,
        t.files as unknown as Json,
      ];
      const live = t.status === "streaming" && t.live;
      if (streams && live && live.token) item.push([live.stream, live.token, live.after]);
      return item;
    });
  }

  function save(): void {
    if (!key || leaving) return;
    try {
      const saved = encodeJson({ o: isOpen(), c: conversationId, t: snapshot(true) });
      sessionStorage.setItem(key, saved);
    } catch {
      // full or forbidden storage: the conversation just won't survive navigation
    }
    if (history) history.save(conversationId, snapshot(false));
  }

  /** Shows the conversation saved under `storageKey`, the first time only. */
  function restore(storageKey: string): void {
    if (key) return;
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
    if (Array.isArray(items) && !turns.length) fill(items, true);
    if (turns.length) loadRender();
    if (own(saved, "o") === true) open(false);
  }

  /** The extras chunk, set up once (the history panel when `save_history` is on). */
  function loadExtras(): Promise<Extras> {
    return (extras ||= chunk<Extras>(EXTRAS_KEY).then(
      (value) => {
        const current = config();
        if (current && current.saveHistory && !history) {
          history = value.history({
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
        return value;
      },
      (error) => {
        extras = null;
        throw error;
      },
    ));
  }

  /** Removes `turn` and every later one; false while an answer streams. */
  function cut(turn: Turn): boolean {
    const index = turns.indexOf(turn);
    if (busy() || index < 0) return false;
    const gone = turns.splice(index);
    for (let i = 0; i < gone.length; i++) (gone[i] as Turn).view.remove();
    if (!turns.length) clear();
    save();
    return true;
  }

  function clear(): void {
    const current = config();
    list.reset();
    if (current) list.configure(current);
  }

  /** Actions, Copy and feedback buttons of a finished turn, from the extras chunk. */
  function decorate(turn: Turn): void {
    const { id, text, status, parts: answered } = turn;
    const current = config();
    if (!current || status === "streaming") return;
    const context = {
      bubble: turn.answer.el,
      user: turn.view.user,
      mine: turn.view.mine,
      question: turn.user,
      answer: status === "error" ? "" : text,
      reply: status === "error" ? [] : reply(turn),
      copy: current.chatbot.showCopyButton,
      options: id ? current.flagging : null,
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
      undo: () => cut(turn) && refill(turn.user, turn.files),
      edit: current.editable ? (next: string) => cut(turn) && send(next, null, turn.files) : null,
    };
    // Without the chunk (say, the server went away) the turn just has no buttons.
    loadExtras().then(
      guard((x: Extras) => {
        if (turn.text === text && turn.parts === answered && turns.includes(turn)) {
          x.answer(context);
        }
        list.follow();
      }),
      () => undefined,
    );
  }

  /** Starts an empty conversation (the one shown goes to the history, when that is kept). */
  function fresh(): void {
    const current = config();
    if (!history && turns.length && current && current.saveHistory) {
      // The history code has not loaded yet: keep this conversation once it has.
      const id = conversationId;
      const saved = snapshot(false);
      loadExtras().then(
        () => history && history.save(id, saved),
        () => undefined,
      );
    }
    halt();
    turns.length = 0;
    conversationId = newId();
    save();
    clear();
  }

  // Leaving the page: what is saved now is what the next page reads (a stream cut by the
  // navigation must not overwrite it); a page restored from the back/forward cache goes on.
  window.addEventListener(
    "pagehide",
    guard(() => {
      save();
      leaving = true;
    }),
  );
  window.addEventListener("pageshow", () => (leaving = false));

  const [send, stop, halt, retry, busy, fill, bodyOf] = streamer(
    widget,
    list,
    composer,
    config,
    events,
    loadConfig,
    tray,
    showOutputs,
    blocks,
    turns,
    save,
    decorate,
  );
  return [turns, save, restore, fresh, send, stop] as const;
}
