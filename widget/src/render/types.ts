// The contract between the core widget and the render chunk (widget/src/render/index.ts →
// backend/static/chunks/render.js): markdown and the one sanitizer (../markdown.ts, with marked
// and DOMPurify), loaded when the panel first opens or a page has a conversation to show. Until
// it is here the core shows every text as plain text; the other chunks get its functions from
// the core (they never bundle markdown.ts themselves).

export const RENDER_KEY = "chatbubble.render";

/** Markdown as the core renders it: a sanitized fragment, or null (plain text) without the chunk. */
export type Markdown = (source: string) => DocumentFragment | null;

/** The renderers, configured for one backend. */
export interface Renderers {
  /** Markdown (GFM) to a sanitized fragment. */
  markdown(source: string): DocumentFragment;
  /** An HTML string (a `gr.HTML` part) sanitized exactly as rendered markdown is. */
  html(source: string): DocumentFragment;
}

export interface Render {
  /** Markdown's styles, added to the shadow root after the core's. */
  readonly css: string;
  /**
   * Images may load from `origin` only; relative links resolve against `baseUrl`; `config`
   * gives the server's config once loaded (`chatbot.line_breaks`, `chatbot.allow_tags`).
   */
  render(baseUrl: string, origin: string, config?: () => unknown): Renderers;
}
