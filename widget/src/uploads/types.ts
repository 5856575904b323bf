// The contract between the core widget and the uploads chunk (widget/src/uploads/index.ts →
// backend/static/chunks/uploads.js), loaded when a multimodal app's panel opens (and to put back a
// message's files): the key it hands its exports over with, and the types on both sides.

import type { Multimodal, WidgetConfig } from "../config";
import type { FilePart } from "../parts";

export const UPLOADS_KEY = "chatbubble.uploads";

/** What the panel lends the uploads chunk: the composer and panel its tray and buttons go in. */
export interface UploadsHost {
  readonly widget: WidgetConfig;
  readonly options: Multimodal;
  /** The composer: the tray goes above its text row. */
  readonly composer: HTMLElement;
  /** The composer's textarea: "Attach files" and "Record audio" go before it; files pasted
   * into it are attached. */
  readonly input: HTMLTextAreaElement;
  /** The panel: files dropped on it are attached (a hint shows while they are dragged over). */
  readonly panel: HTMLElement;
  /** Shows a notice in the composer (null hides it). */
  notice(message: string | null): void;
  /** True while files upload: Send waits until they are done. */
  block(busy: boolean): void;
  /** Whether files may be attached now (the consent question, when asked, is accepted). */
  allowed(): boolean;
  /** The chunk loader (the recorder chunk, on the first click on "Record audio"). */
  load<T>(key: string): Promise<T>;
  /** Aborted when the chat is taken off the page (a recording stops with it). */
  readonly life: { readonly signal: AbortSignal };
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
  /** The tray, with the buttons and listeners that fill it (called once). */
  uploads(host: UploadsHost): UploadsView;
}
