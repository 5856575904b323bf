// The contract between the core widget and the nudges chunk (widget/src/nudges/index.ts →
// backend/static/chunks/nudges.js): what draws a visitor to the closed launcher, the greeting
// bubble beside it and the badge counting the answers that finished while the panel was closed.
// Loaded once the config is here when there is a greeting (the script tag's or the server's) or
// a badge kept from an earlier page, and when an answer finishes while the panel is closed.

import type { Events } from "../events";
import type { PageConfig } from "../page-config";

export const NUDGES_KEY = "chatbubble.nudges";

/** What the core lends the chunk. */
export interface NudgesHost {
  /** The widget's root: the greeting and the chunk's live region go there. */
  readonly root: HTMLElement;
  /** The launcher: the badge goes in it, and its accessible name tells the count. */
  readonly launcher: HTMLButtonElement;
  /** The script tag's settings: `greeting` and `greetingDelay` win over the server's. */
  readonly page: PageConfig;
  /** /api/config as received (its `greeting`: `{text, delay}` or null). */
  readonly raw: unknown;
  /** The conversation's storage key (`chatbubble:<backend origin>:<app>`). */
  readonly key: string;
  /** `open` clears the badge and puts the greeting away for good. */
  readonly events: Events;
  /** Aborted when the chat is taken off the page: the greeting's timer goes with it. */
  readonly life: { readonly signal: AbortSignal };
  isOpen(): boolean;
}

export interface Nudges {
  readonly css: string;
  /** Shows the greeting after its delay (unless seen before) and a kept badge; once. */
  start(host: NudgesHost): void;
  /** An answer finished while the panel was closed: one more on the badge. */
  unread(): void;
}
