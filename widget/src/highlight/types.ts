// The contract between the artifacts chunk and the highlight chunk (widget/src/highlight/index.ts
// → backend/static/chunks/highlight.js), loaded the first time code is shown in the artifact
// pane: syntax highlighting as DOM nodes, never HTML.

export const HIGHLIGHT_KEY = "chatbubble.highlight";

export interface Highlight {
  /** Token colours, added to the shadow root after the core's styles. */
  readonly css: string;
  /** `code` as highlighted spans (classes `hljs-*`), or null when `language` is not known. */
  highlight(code: string, language: string): DocumentFragment | null;
}
