// The contract between the core widget and the lazily loaded extras chunk
// (widget/src/extras/index.ts → backend/static/chunks/extras.js): the key the chunk hands
// its exports over with, and the types on both sides.

import type { WidgetConfig } from "../config";
import type { Json } from "../json";

/** The property of `window.chatbubble` the chunk assigns its exports to, once. */
export const EXTRAS_KEY = "chatbubble.extras";

/** What the core lends the actions of one finished answer. */
export interface AnswerContext {
  /** The answer bubble the buttons go into. */
  readonly bubble: HTMLElement;
  /** The visitor's bubble of the same turn (for "Edit"). */
  readonly user: HTMLElement;
  /** The row under the visitor's bubble: its "Copy" and "Edit" buttons go there. */
  readonly mine: HTMLElement;
  /** The visitor's message as sent (what its "Copy" copies). */
  readonly question: string;
  /** The answer text as received (its text parts' markdown); "" when the answer failed. */
  readonly answer: string;
  /** The answer's messages as the server streamed them, in `history` form; [] when it failed. */
  readonly reply: readonly Json[];
  /** The config as received (`chatbot.buttons`, `watermark`, `like_user_message`). */
  readonly raw: unknown;
  /** The backend's base URL (a file's URL in copied conversations). */
  readonly base: string;
  /** `chatbot.show_copy_button`: a "Copy" button. */
  readonly copy: boolean;
  /** `config.flagging.options` when the answer has an id: "Like"/"Dislike" thumbs, a "Flag" menu. */
  readonly options: readonly string[] | null;
  /** The `done` event's signed id for this answer. */
  readonly id: string | null;
  /**
   * The feedback already given on this answer ("" for none), and where to keep a new one: kept
   * as soon as it is chosen (it survives following a link at once), and the previous one again
   * if the server refuses it.
   */
  readonly flag: string;
  flagged(flag: string): void;
  /** The JSON body of the chat request that produced the answer (its history and message). */
  readonly sent: string;
  readonly conversationId: string;
  /** The storage namespace (backend origin and app) for the visitor id. */
  readonly store: string;
  /** POSTs to /api/feedback; resolves to an error safe to show, or null. */
  post(body: string): Promise<{ readonly message: string } | null>;
  /** The page the widget is on (`page` of a chat request; undefined with `data-page-context="off"`). */
  page(): Json | undefined;
  /** Re-runs the turn, replacing its answer (only while it is the last one). */
  retry(): void;
  /** Removes the turn and puts the visitor's text back in the composer. */
  undo(): void;
  /** With `editable`: re-runs the conversation from this turn with `text`, dropping later ones. */
  readonly edit: ((text: string) => void) | null;
  /**
   * `Chatbot(editable="all")`: replaces the answer's text (nothing re-runs); later requests send
   * it as history. The answers signed with the old text (this one and later ones) lose their id.
   */
  rewrite(text: string): void;
}

/** What the core lends the feedback buttons of the welcome's answers. */
export interface WelcomeHost {
  /** The welcome's bubbles (`.msg.bot`, `.msg.user`), in order. */
  readonly opening: HTMLElement;
  /** The config as received (`chatbot.feedback_value`: pre-set feedback per answer). */
  readonly raw: unknown;
  /** `config.flagging.options`. */
  readonly options: readonly string[];
  /** The storage namespace (backend origin and app). */
  readonly store: string;
  /** The conversation's id. */
  conversation(): string;
  /** POSTs to /api/feedback; resolves to an error safe to show, or null. */
  post(body: string): Promise<{ readonly message: string } | null>;
  /** As `AnswerContext.page`. */
  page(): Json | undefined;
}

/** What the core lends the "Chat history" side panel (`save_history`). */
export interface HistoryHost {
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
  /** Shows a saved conversation (its turns as saved by `save`), under its id. */
  load(id: string, turns: readonly unknown[]): void;
  /** Starts an empty conversation (the one on screen leaves sessionStorage too). */
  fresh(): void;
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
  answer(context: AnswerContext): void;
  /** Feedback buttons under each answer of the welcome, its `feedback_value` pre-selected. */
  welcome(host: WelcomeHost): void;
  /**
   * The "Chat history" side panel and the localStorage it lists; without `save_history`, the
   * menu of the conversation on screen. Both: New chat, download, delete.
   */
  history(host: HistoryHost): HistoryView;
  /** `Chatbot(resizable=True)`: a grip that resizes `panel` (anchored bottom left if `left`). */
  resizable(panel: HTMLElement, left: boolean): void;
}
