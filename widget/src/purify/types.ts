// The contract between markdown (in the panel chunk) and the purify chunk (widget/src/purify/index.ts →
// backend/static/chunks/purify.js): DOMPurify, the engine of the one sanitizer (../markdown.ts)
// in browsers without the HTML Sanitizer API, with its options for the policies (options.ts).
// Markdown loads it only there (Chromium, Edge and Firefox 148+ never download it); the
// policy itself stays in markdown.ts (and the math policy in ../math/policy.ts).

import type { Config, DOMPurify } from "dompurify";
import type { MathPolicy } from "../math/types";

/** The key it hands its exports over with (its file: /widget/purify.js). */
export const PURIFY_KEY = "chatbubble.purify";

/** DOMPurify's options for one policy: a sanitized fragment back. */
export type PurifyOptions = Config & { RETURN_DOM_FRAGMENT: true };

export interface Purify {
  /** This chunk's DOMPurify instance, which markdown.ts configures (its hooks) once. */
  readonly purify: DOMPurify;
  /** DOMPurify's options for markdown's allowed `tags` and `attributes`, or with `math` for the
   * math policy (options.ts). */
  options(tags: readonly string[], attributes: readonly string[], math?: MathPolicy): PurifyOptions;
}
