// The inputs half of the blocks chunk's contract (see ../blocks/types.ts): what goes around the
// conversation. It reads the config's `additional_inputs`, `additional_outputs`, `layout` and
// `examples` as untrusted JSON, and loads the artifact pane when an output first has a value.

import type { Json } from "../json";
import type { Part } from "../parts";

/** What the core lends the inputs chunk. */
export interface InputsHost {
  /** The config as received: its `additional_inputs`, `additional_outputs`, `layout`, `examples`, `examples_label`. */
  readonly config: unknown;
  /** The chat panel (the artifact pane widens it). */
  readonly panel: HTMLElement;
  /** Markdown and HTML through the one sanitizer. */
  markdown(source: string): DocumentFragment;
  html(source: string): DocumentFragment;
  /** Draws a file part (an image output) into `box`. */
  file(part: Part, box: HTMLElement): void;
  /** Loads a chunk by its key (the highlighter, media) once. */
  load<T>(key: string): Promise<T>;
  /** A row of the examples table was clicked (before the first message); its values are in the inputs. */
  example(index: number): void;
}

export interface InputsView {
  /** What the layout puts above the conversation (empty when nothing). */
  readonly above: HTMLElement;
  /**
   * Under the composer: the "Additional Inputs" section, the examples that carry input values
   * (a table, in place of the example buttons), then what the layout puts below.
   */
  readonly below: HTMLElement;
  /**
   * The chat request's `inputs`: the example's own values for a click on example `example`,
   * else the inputs' current values in order; null without inputs.
   */
  values(example: number | null): readonly Json[] | null;
  /** An `outputs` event's list: shown in the artifact pane. */
  outputs(values: unknown): void;
}
