// The contract between the core widget and the blocks chunk (widget/src/blocks/index.ts →
// backend/static/chunks/blocks.js): what Gradio's ChatMessage extras and Blocks add to a chat
// (thoughts and tool steps, preset replies, additional inputs, a layout, additional outputs).
// The core loads it with the config of an app that has additional inputs, additional outputs or
// a Blocks layout, or when an answer first has a part with `metadata` or `options`.

import type { InputsHost, InputsView } from "../inputs/types";
import type { EventsHost } from "./events";
import type { StepsHost, StepsView } from "../steps/types";

export const BLOCKS_KEY = "chatbubble.blocks";

/** What the core lends the chunk (files are drawn by the media chunk, which it loads). */
export type BlocksHost = Omit<StepsHost & InputsHost, "file"> &
  EventsHost & {
    /** The backend origin, for the media chunk. */
    readonly origin: string;
  };

/** Steps and preset replies in answers; inputs, layout and outputs around the conversation. */
export type BlocksView = StepsView &
  InputsView & {
    /** Applies `[[id, props], ...]` as an event's outputs (a `chatbot.like` fn's). */
    apply(changes: unknown): void;
  };

export interface Blocks {
  /** Styles of the chunk's UI, added to the shadow root after the core's. */
  readonly css: string;
  blocks(host: BlocksHost): BlocksView;
}
