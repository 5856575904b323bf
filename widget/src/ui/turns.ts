// The conversation: its turns, its anonymous id and its copy in sessionStorage (under the
// backend origin and app), which the next page of the site reads. What the extras chunk adds to
// it is set up here too: the buttons of a finished turn, the saved conversations
// (`save_history`), and the conversation an earlier page saved, shown again (extras/restore.ts:
// not needed before a first answer, so not in the panel chunk; until it shows, nothing is saved
// and messages wait, `shown`). The answer that may be streaming is streaming.ts's. Module scope,
// like the views and config it reads from state.ts (which says why): streaming.ts imports the
// turns, `save` and `decorate` from here and this `send`, `retry`, `resume`... from there;
// chunks.ts and app.ts (`loadConfig`) and this import from each other too. The listeners start
// with `listen`, which App() calls.

import { postJson } from "../api";
import { guard, on, report } from "../dom";
import { EXTRAS_KEY, type Extras, type HistoryView, type TurnOf } from "../extras/types";
import { encodeJson, own, type Json } from "../json";
import { read } from "../saved";
import { loadConfig } from "./app";
import { applyOutputs, chunk, loadRender, refill } from "./chunks";
import type { Added } from "./messages";
import { config, historyButton, host, isOpen, life, list, panel, widget } from "./state";
import { bodyOf, halt, reply, resume, retry, send, streaming } from "./streaming";

/** A turn: the visitor's message and its answer, in the list's bubbles (extras/types.ts, whose
 * chunk builds them too when it shows saved turns again). */
export type Turn = TurnOf<Added>;

/** An anonymous conversation id (8–64 of `A-Za-z0-9_-`). */
const newId = (): string => "c" + Math.random().toString(36).slice(2) + Date.now().toString(36);

/** The turns in order; the streaming controller adds to this same array (never replaced). */
export const turns: Turn[] = [];
/** sessionStorage key of the conversation (backend origin + app), once the config is known. */
let key = "";
let conversationId = newId();
/** The conversation's id: the chat function's `request.session_hash` and `gr.State`'s key. */
export const conversation = (): string => conversationId;
/** The page is being left: nothing more is saved. */
let leaving = false;
/** The conversation an earlier page saved, until it shows or cannot (its chunk did not load):
 * what messages sent meanwhile wait for (`shown`). Nothing is saved until it shows (`key` is
 * set then), and nothing at all on a page where it cannot: that copy stays whole. */
let restoring: Promise<void> | null = null;
let extras: Promise<Extras> | null = null;
/** The saved conversations (`save_history`), once the extras chunk is here. */
let history: HistoryView | null = null;

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

export function save(): void {
  if (!key || leaving) return;
  try {
    const saved = encodeJson({ o: isOpen, c: conversationId, t: snapshot(true) });
    sessionStorage.setItem(key, saved);
  } catch {
    // full or forbidden storage: the conversation just won't survive navigation
  }
  if (history) history.save(conversationId, snapshot(false));
}

/**
 * Shows the conversation saved under `storageKey`, the first time only: its turns come with the
 * extras chunk (the intro shows until then); true when the panel was open on the page that saved
 * it.
 */
export function restore(storageKey: string): boolean {
  if (key || restoring) return false;
  const saved = read(storageKey);
  const items = own(saved, "t");
  const id = own(saved, "c");
  if (typeof id === "string" && /^[\w-]{8,64}$/.test(id)) conversationId = id;
  if (Array.isArray(items) && items.length && !turns.length) {
    loadRender();
    restoring = loadExtras().then(
      guard((x: Extras) => {
        restoring = null;
        x.restore(items);
        key = storageKey;
        save();
      }),
      () => {
        restoring = null;
      },
    );
  } else key = storageKey;
  return own(saved, "o") === true;
}

/**
 * Runs `then` once the conversation an earlier page saved shows (the config names it, the extras
 * chunk shows it) or cannot: at once when it has, or when there is none.
 */
export function shown(then: () => void): void {
  if (config && !restoring) then();
  else
    loadConfig()
      .then(() => restoring)
      .then(then, then)
      .catch(report);
}

/** The extras chunk, set up once (with the history panel, or the menu without `save_history`). */
function loadExtras(): Promise<Extras> {
  return (extras ||= chunk<Extras>(EXTRAS_KEY).then(
    (value) => {
      if (config && !history) {
        history = value.history({
          panel: panel.el,
          button: historyButton,
          store: host.store(),
          saved: config.saveHistory,
          widget,
          life,
          raw: config.raw,
          current: () => conversationId,
          turns: () => snapshot(false),
          begin(id) {
            empty();
            conversationId = id;
          },
          fresh,
          config,
          all: turns,
          add: list.add,
          resume,
          busy: () => !!streaming,
          clear,
          save,
          refill,
          send: (text, files) => send(text, null, files),
          retry,
          decorate,
          sent: bodyOf,
          reply,
          post: (body: string) => postJson(widget, "api/feedback", body, applyOutputs),
          page: host.aboutPage,
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

function clear(): void {
  list.reset();
  if (config) list.configure(config);
  greet();
}

/** Feedback buttons on the welcome's answers (`Chatbot(value=...)`), when feedback is on. */
export function greet(): void {
  if (config && config.flagging && config.chatbot.welcome.length) {
    loadExtras().then(
      guard((x: Extras) => x.welcome(list.el.querySelector(".opening") as HTMLElement)),
      () => undefined,
    );
  }
}

/**
 * Retry, Undo, Edit, Copy and feedback buttons of a finished turn, from the extras chunk (which
 * reads the turn, and acts on it through the host `loadExtras` gave it).
 */
export function decorate(turn: Turn): void {
  const { text, status, parts: answered } = turn;
  if (!config || status === "streaming") return;
  // Without the chunk (say, the server went away) the turn just has no buttons.
  loadExtras().then(
    guard((x: Extras) => {
      if (turn.text === text && turn.parts === answered && turns.includes(turn)) x.answer(turn);
      list.follow();
    }),
    () => undefined,
  );
}

/** Starts an empty conversation (the one shown goes to the history, when that is kept), after
 * the one an earlier page saved shows. */
export const fresh = (): void => shown(empty);

function empty(): void {
  if (!history && turns.length && config && config.saveHistory) {
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

/**
 * Listens, once App() has set up the views: the history button opens the saved conversations;
 * leaving the page, what is saved now is what the next page reads (a stream cut by the navigation
 * must not overwrite it); a page restored from the back/forward cache goes on.
 */
export function listen(): void {
  on(historyButton, "click", () => {
    loadExtras().then(
      guard(() => history && history.toggle()),
      () => undefined,
    );
  });
  window.addEventListener(
    "pagehide",
    guard(() => {
      save();
      leaving = true;
    }),
    life,
  );
  window.addEventListener("pageshow", () => (leaving = false), life);
}
