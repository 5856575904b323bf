// The contract between the render chunk and the purify chunk (widget/src/purify/index.ts →
// backend/static/chunks/purify.js): DOMPurify, the engine of the one sanitizer (../markdown.ts)
// in browsers without the HTML Sanitizer API. The render chunk loads it only there (Chromium,
// Edge and Firefox 148+ never download it); the policy stays in markdown.ts.

import type { DOMPurify } from "dompurify";

/** Its file (/widget/purify.js). It hands over with the render chunk's key (RENDER_KEY), being
 * part of it: the core's list of hand-over keys (index.ts) needs no entry of its own. */
export const PURIFY_FILE = "purify";

export interface Purify {
  /** This chunk's DOMPurify instance, which markdown.ts configures (its hooks) once. */
  readonly purify: DOMPurify;
}
