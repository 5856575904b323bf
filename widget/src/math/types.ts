// The contract between the render chunk and the math chunk (widget/src/math/index.ts →
// backend/static/chunks/math.js): KaTeX, loaded the first time a message holds a math
// delimiter (`Chatbot(latex_delimiters=...)`). It returns KaTeX's HTML as a string, which the
// render chunk's one sanitizer turns into nodes with the math policy that comes with it
// (policy.ts, applied by ../markdown.ts).

export const MATH_KEY = "chatbubble.math";

/** What of KaTeX's HTML the sanitizer keeps (policy.ts). */
export interface MathPolicy {
  /** The elements allowed in KaTeX's HTML (lower case). */
  readonly tags: readonly string[];
  /** The attributes allowed on them (lower case; `cb-style` stands for KaTeX's `style`). */
  readonly attributes: readonly string[];
  /** DOMPurify's FORBID_ATTR in math mode. */
  readonly forbidAttributes: readonly string[];
  /**
   * The rules on one kept element's attributes: `cb-style` taken off, each allowed inline style
   * of it pushed onto `styles` (set through CSSOM afterwards), a class of anything but words
   * removed.
   */
  check(node: Element, styles: [Element, string, string][]): void;
}

export interface MathChunk {
  /** KaTeX's styles without its @font-face rules, added to the shadow root. */
  readonly css: string;
  /** Registers KaTeX's fonts (woff2, served by the backend under `baseUrl`) once. */
  fonts(baseUrl: string): void;
  /** `tex` as KaTeX's HTML (with MathML for screen readers); errors shown in place. */
  tex(tex: string, display: boolean): string;
  /** The math policy. */
  readonly policy: MathPolicy;
}
