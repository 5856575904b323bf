// The artifact pane's contract, inside the blocks chunk: what it needs to show additional outputs.
// It reads the config's `additional_outputs` and the `outputs` events as untrusted JSON.

import type { Highlight } from "../highlight/types";
import type { FilePart } from "../parts";

/** What the artifact pane is lent. */
export interface ArtifactsHost {
  /** The config's `additional_outputs`, as received. */
  readonly specs: unknown;
  /** Each output's box, where the layout put it (the inputs chunk's `outputs`). */
  readonly boxes: readonly HTMLElement[];
  /** The chat panel: it grows wider (class "wide") while an artifact is expanded. */
  readonly panel: HTMLElement;
  /** Markdown and HTML through the one sanitizer. */
  markdown(source: string): DocumentFragment;
  html(source: string): DocumentFragment;
  /** Draws a file part (an image output) into `box`. */
  file(part: FilePart, box: HTMLElement): void;
  /** The highlight chunk, loaded on first use. */
  highlighter(): Promise<Highlight>;
}

export interface ArtifactsView {
  /** The `outputs` event's list: each output's new value, or null to leave it unchanged. */
  update(outputs: unknown): void;
  /** The values shown now (for the conversation's snapshot), null where none. */
  values(): unknown[];
}
