// The contract between the core widget and the media chunk (widget/src/media/index.ts →
// backend/static/chunks/media.js), loaded when an answer has parts other than one text, or a
// message has files: the key it hands its exports over with, and the types on both sides.

import type { FilePart, Part } from "../parts";

export const MEDIA_KEY = "chatbubble.media";

/** What the core lends the media renderer. */
export interface MediaHost {
  /** The backend origin: the only origin media loads from (its /api/files/ URLs). */
  readonly origin: string;
  /** The chat panel: the image viewer opens over it. */
  readonly panel: HTMLElement;
  /** A text part as answers render text (markdown through the one sanitizer, or plain). */
  text(source: string): Node;
  /** An html part, sanitized by the markdown sanitizer's policy. */
  html(source: string): DocumentFragment;
  /** Keeps the newest message in view after media grew (an image loaded). */
  follow(): void;
}

export interface MediaView {
  /**
   * Shows an answer's parts, one bubble each: the last in `last` (the answer's own content box,
   * which holds its status and actions), the others as bubbles in `slot`, before it. Unchanged
   * parts keep their elements (a playing audio keeps playing while text streams).
   */
  answer(parts: readonly Part[], slot: HTMLElement, last: HTMLElement): void;
  /** The files of a visitor's message: thumbnails for images, chips for the rest. */
  files(files: readonly FilePart[]): Node;
}

export interface Media {
  /** Styles of the chunk's UI, added to the shadow root after the core's. */
  readonly css: string;
  media(host: MediaHost): MediaView;
}
