// The contract between the core widget and the lazily loaded extras chunk
// (widget/src/extras/index.ts → backend/static/chunks/extras.js): the key the chunk hands
// its exports over with, and the types on both sides.

import type { Live } from "../api";
import type { ServerConfig, WidgetConfig } from "../config";
import type { Json } from "../json";
import type { FilePart, Part } from "../parts";

/** The property of `window.chatbubble` the chunk assigns its exports to, once. */
export const EXTRAS_KEY = "chatbubble.extras";

/**
 * A turn's place in the list as the panel adds it (ui/messages.ts `Added`, with ui/answer.ts's
 * `AnswerView`): what the chunk shows a saved turn in, and what the buttons of an answer use.
 */
export interface TurnBubbles {
  /** The answer's bubble: `set` shows another text in it, `finish` or `fail` ends it, and
   * `dropRetry` takes its Retry away (a newer turn follows). */
  readonly answer: {
    readonly el: HTMLElement;
    set(text: string, parts: readonly Part[] | null): void;
    finish(how: "done" | "stopped"): void;
    fail(message: string, onRetry: (() => void) | null): void;
    dropRetry(): void;
  };
  /** The visitor's bubble, the row under it (its "Copy" and "Edit"), and the turn's removal. */
  readonly user: HTMLElement;
  readonly mine: HTMLElement;
  remove(): void;
}

/**
 * A turn of the conversation as the panel keeps it (ui/turns.ts): what the buttons of a finished
 * answer read, and change (Edit, Undo and feedback).
 */
export interface TurnView {
  /** The visitor's message as sent, and the files sent with it. */
  readonly user: string;
  readonly files: readonly FilePart[];
  /** The answer's bubble, and `set` to show another text in it. */
  readonly answer: { readonly el: HTMLElement; set(text: string, parts: Part[] | null): void };
  /** The visitor's bubble, the row under it (its "Copy" and "Edit"), and the turn's removal. */
  readonly view: { readonly user: HTMLElement; readonly mine: HTMLElement; remove(): void };
  /** The answer's text (of its text parts), its parts (null for a text answer), its status. */
  text: string;
  parts: Part[] | null;
  readonly status: string;
  /** The `done` event's signed id (flagging on). */
  id: string | null;
  /** The visitor's feedback on the answer ("" for none), kept across pages. */
  flag: string;
}

/**
 * The whole turn, in the list's bubbles `V` (what the host's `add` makes): the panel's `Turn`
 * (ui/turns.ts: `TurnOf<Added>`), which the chunk builds too when it shows saved turns again.
 */
export interface TurnOf<V extends TurnBubbles> extends TurnView {
  readonly answer: V["answer"];
  readonly view: V;
  /** The example's index when the turn came from an example click. */
  readonly example: number | null;
  status: "streaming" | "done" | "stopped" | "error";
  /** The error shown when the answer failed. */
  error: string;
  /** While it streams: where its stream stands (another page of the site reads it on). */
  live: Live | null;
}

/**
 * What the core lends the chunk once, when it first loads: the "Chat history" side panel
 * (`save_history`), and the conversation that the buttons of its answers act on.
 */
export interface HistoryHost<V extends TurnBubbles = TurnBubbles> {
  /** The chat panel; the side panel goes over its messages. */
  readonly panel: HTMLElement;
  /** The header's "Chat history" button (its aria-expanded follows the side panel). */
  readonly button: HTMLElement;
  /** The storage namespace (backend origin and app). */
  readonly store: string;
  /** `save_history`: conversations are kept and listed; else the panel acts on this one only. */
  readonly saved: boolean;
  /** The backend and the visitor's tokens (a signed-in visitor's history is on the server). */
  readonly widget: WidgetConfig;
  /** The options of listeners on the window: unmounting the chat removes them (ui/state.ts). */
  readonly life: AddEventListenerOptions;
  /** The config as received (`server_history`). */
  readonly raw: unknown;
  /** The id of the conversation on screen. */
  current(): string;
  /** The conversation on screen, its turns as saved (for "Download conversation"). */
  turns(): readonly unknown[];
  /** Starts the empty conversation `id` (as `fresh`), to show a saved one in it. */
  begin(id: string): void;
  /** Starts an empty conversation (the one on screen leaves sessionStorage too). */
  fresh(): void;
  /** /api/config as parsed (`chatbot.show_copy_button`, `editable`, `flagging`). */
  readonly config: ServerConfig;
  /** The turns in order: the panel's own array (saved turns shown again go into it). */
  readonly all: TurnOf<V>[];
  /** Adds the visitor's message and its answer's (empty) bubble at the end of the list. */
  add(user: string, files: readonly FilePart[]): V;
  /** Reads on the answer of `turn` (the last one) that an earlier page left streaming. */
  resume(turn: TurnOf<V>, live: Live): void;
  /** True while an answer streams. */
  busy(): boolean;
  /** Empties the list: the welcome shows again. */
  clear(): void;
  /** Keeps the conversation (sessionStorage, the history). */
  save(): void;
  /** Puts a message back in the composer. */
  refill(text: string, files: readonly FilePart[]): void;
  /** Sends `text` with `files` as the visitor's message. */
  send(text: string, files: readonly FilePart[]): void;
  /** Re-runs the turn, replacing its answer (only while it is the last one). */
  retry(turn: TurnView): void;
  /** Gives a finished turn its buttons again (its answer has changed). */
  decorate(turn: TurnView): void;
  /** The JSON body of the chat request for the turn (its history and message). */
  sent(turn: TurnView): string;
  /** The turn's answer as the server streamed its messages, in `history` form. */
  reply(turn: TurnView): Json[];
  /** POSTs to /api/feedback; resolves to an error safe to show, or null. */
  post(body: string): Promise<{ readonly message: string } | null>;
  /** The page the widget is on (`page` of a chat request; undefined with `data-page-context="off"`). */
  page(): Json | undefined;
}

export interface HistoryView {
  /** Keeps the conversation `id` (its turns, as the core keeps them in sessionStorage). */
  save(id: string, turns: readonly unknown[]): void;
  /** Opens or closes the side panel. */
  toggle(): void;
}

export interface Extras {
  /** Styles of the chunk's UI, added to the shadow root after the core's. */
  readonly css: string;
  /** Adds Retry, Undo, Edit, Copy and feedback buttons to a finished turn. */
  answer(turn: TurnView): void;
  /** Feedback buttons under each answer of the welcome (`opening`, its bubbles in order), its
   * `feedback_value` pre-selected. */
  welcome(opening: HTMLElement): void;
  /**
   * Called first, once: keeps `host` (which `answer` and `welcome` use), and returns the "Chat
   * history" side panel and the localStorage it lists; without `save_history`, the menu of the
   * conversation on screen. Both: New chat, download, delete.
   */
  history<V extends TurnBubbles>(host: HistoryHost<V>): HistoryView;
  /**
   * After `history`: shows the conversation an earlier page of the site saved (its turns as
   * the panel's `save` writes them) in the empty one, and reads on an answer it left streaming.
   */
  restore(turns: readonly unknown[]): void;
  /** `Chatbot(resizable=True)`: a grip that resizes `panel` (anchored bottom left if `left`). */
  resizable(panel: HTMLElement, left: boolean): void;
}
