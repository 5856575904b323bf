// Markdown's types inside the panel chunk (render/index.ts, set up by ui/chunks.ts `loadRender`):
// markdown and the one sanitizer (../markdown.ts, with marked; DOMPurify comes in the purify
// chunk, only to browsers without the HTML Sanitizer API). Until the sanitizer is ready every
// text shows as plain text; the other chunks get its functions from the panel (they never bundle
// markdown.ts themselves).

import type { MathChunk } from "../math/types";

/** Markdown as the panel renders it: a sanitized fragment, or null (plain text) until ready. */
export type Markdown = (source: string) => DocumentFragment | null;

/** The renderers, configured for one backend. */
export interface Renderers {
  /** Markdown (GFM) to a sanitized fragment. */
  markdown(source: string): DocumentFragment;
  /** An HTML string (a `gr.HTML` part) sanitized exactly as rendered markdown is. */
  html(source: string): DocumentFragment;
}

/** What the panel lends markdown for math. */
export interface RenderHost {
  /** Loads the math chunk (KaTeX) once. */
  loadMath(): Promise<MathChunk>;
  /** Draws every text again (KaTeX has arrived). */
  redraw(): void;
}
