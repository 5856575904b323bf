// Markdown's contract inside the panel chunk (render/index.ts, set up by ui/chunks.ts
// `loadRender`): markdown and the one sanitizer (../markdown.ts, with marked; DOMPurify comes in
// the purify chunk, only to browsers without the HTML Sanitizer API, and hands over with
// RENDER_KEY). Until the sanitizer is ready every text shows as plain text; the other chunks get
// its functions from the panel (they never bundle markdown.ts themselves).

import type { MathChunk } from "../math/types";

export const RENDER_KEY = "chatbubble.render";

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

export interface Render {
  /** Markdown's styles (the panel chunk's `css`). */
  readonly css: string;
  /**
   * Resolves once the sanitizer's engine is here: at once with the browser's HTML Sanitizer
   * API, else once `load` (the core's chunk loader) has brought the purify chunk (which hands
   * over with RENDER_KEY). Call first.
   */
  ready(load: <T>(key: string, file: string) => Promise<T>): Promise<void>;
  /**
   * Images may load from `origin` only; relative links resolve against `baseUrl`; `config`
   * gives the server's config once loaded (`chatbot.line_breaks`, `chatbot.allow_tags`,
   * `chatbot.latex_delimiters`); `host` loads KaTeX when a text holds math.
   */
  render(baseUrl: string, origin: string, config: () => unknown, host: RenderHost): Renderers;
}
