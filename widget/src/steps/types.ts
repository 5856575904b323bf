// The steps half of the blocks chunk's contract (see ../blocks/types.ts): what it needs to draw
// answers whose parts have `metadata` (thoughts, tool steps) or `options` (preset replies), which
// it reads as untrusted JSON.

import type { Part } from "../parts";

/** What the core lends the steps renderer. */
export interface StepsHost {
  /** A text part as answers render text (markdown through the one sanitizer, or plain). */
  text(source: string): Node;
  /** An html part, sanitized by the markdown sanitizer's policy. */
  html(source: string): DocumentFragment;
  /** Draws a file or gallery part into `box` (through the media chunk). */
  file(part: Part, box: HTMLElement): void;
  /** Markdown through the one sanitizer (step titles). */
  markdown(source: string): DocumentFragment;
  /** A preset reply was clicked: sends `value` as the visitor's message; false if it cannot now. */
  choose(value: string): boolean;
  /** Keeps the newest message in view after the answer grew (a step opened). */
  follow(): void;
}

export interface StepsView {
  /**
   * Shows an answer's parts, one bubble per top-level message: the last in `last`, the others
   * as bubbles in `slot`. Steps nest under the step whose `id` is their `parent_id`. Elements of
   * unchanged parts are kept, and so is a step the visitor opened or closed. Preset replies show
   * under the newest answer only (its stylesheet hides the others).
   */
  answer(parts: readonly Part[], slot: HTMLElement, last: HTMLElement): void;
}
