// The contract between the render chunk and the math chunk (widget/src/math/index.ts →
// backend/static/chunks/math.js): KaTeX, loaded the first time a message holds a math
// delimiter (`Chatbot(latex_delimiters=...)`). It returns KaTeX's HTML as a string, which the
// render chunk's one sanitizer turns into nodes with its math policy (../markdown.ts).

export const MATH_KEY = "chatbubble.math";

export interface MathChunk {
  /** KaTeX's styles without its @font-face rules, added to the shadow root. */
  readonly css: string;
  /** Registers KaTeX's fonts (woff2, served by the backend under `baseUrl`) once. */
  fonts(baseUrl: string): void;
  /** `tex` as KaTeX's HTML (with MathML for screen readers); errors shown in place. */
  tex(tex: string, display: boolean): string;
}
