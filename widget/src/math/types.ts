// The contract between markdown (in the panel chunk) and the math chunk
// (widget/src/math/index.ts → backend/static/chunks/math.js): KaTeX, loaded the first time a
// message holds a math delimiter (`Chatbot(latex_delimiters=...)`). It typesets a formula and
// has the panel chunk's one sanitizer (../markdown.ts) turn KaTeX's HTML into nodes with the
// math policy that comes with it (policy.ts).

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
   * The rules on one kept element's attributes: `cb-style` taken off (its allowed inline styles
   * are set through CSSOM once the formula is clean), a class of anything but words removed.
   */
  check(node: Element): void;
}

export interface MathChunk {
  /** KaTeX's styles without its @font-face rules, added to the shadow root. */
  readonly css: string;
  /** Registers KaTeX's fonts (woff2, served by the backend under `baseUrl`) once. */
  fonts(baseUrl: string): void;
  /**
   * `tex` typeset by KaTeX (with MathML for screen readers; errors shown in place) and cleaned
   * by `clean`, the panel chunk's sanitizer in math mode (which applies `policy`).
   */
  formula(tex: string, display: boolean, clean: (html: string) => DocumentFragment): Node;
  /** The math policy. */
  readonly policy: MathPolicy;
}
