// The contract between the core widget and the uploads chunk (widget/src/uploads/index.ts →
// backend/static/chunks/uploads.js), loaded when the visitor first attaches, drops or pastes a
// file: the key it hands its exports over with, and the types on both sides.

import type { Multimodal, WidgetConfig } from "../config";
import type { FilePart } from "../parts";

export const UPLOADS_KEY = "chatbubble.uploads";

/** What the core lends the pending-files tray. */
export interface UploadsHost {
  readonly widget: WidgetConfig;
  readonly options: Multimodal;
  /** The composer: the tray goes above its text row. */
  readonly composer: HTMLElement;
  /** Shows a notice in the composer (null hides it). */
  notice(message: string | null): void;
  /** True while files upload: Send waits until they are done. */
  block(busy: boolean): void;
}

export interface UploadsView {
  /** Checks the files against the app's rules and uploads the acceptable ones at once. */
  add(files: readonly File[]): void;
  /** Files uploaded before (an undone message, an example) attached again. */
  put(files: readonly FilePart[]): void;
  /** The uploaded files for the next message, or null while some still upload. */
  ready(): FilePart[] | null;
  /** Empties the tray (the message was sent). */
  clear(): void;
}

export interface Uploads {
  readonly css: string;
  uploads(host: UploadsHost): UploadsView;
}
