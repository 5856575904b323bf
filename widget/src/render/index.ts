// Markdown for the panel chunk: markdown.ts (marked and the one sanitizer's policy) with the
// styles of rendered markdown, set up by ui/chunks.ts `loadRender`. In a browser without the
// HTML Sanitizer API it loads the purify chunk (DOMPurify) before it is ready. It loads the math
// chunk (KaTeX) the first time a text holds math, then has the panel draw everything again.

import { report } from "../dom";
import {
  configureMarkdown,
  configureMath,
  nativeSanitizer,
  renderMarkdown,
  sanitizeHtml,
  setMath,
  usePurify,
} from "../markdown";
import type { MathChunk } from "../math/types";
import { PURIFY_KEY, type Purify } from "../purify/types";
import type { RenderHost, Renderers } from "./types";

export { default as css } from "./markdown.css";

/**
 * Resolves once the sanitizer's engine is here: at once with the browser's HTML Sanitizer API,
 * else once `load` (the core's chunk loader) has brought the purify chunk. Call first.
 */
export function ready(load: <T>(key: string) => Promise<T>): Promise<void> {
  if (nativeSanitizer()) return Promise.resolve();
  return load<Purify>(PURIFY_KEY).then(usePurify);
}

/**
 * The renderers: images may load from `origin` only; relative links resolve against `baseUrl`;
 * `config` gives the server's config once loaded (`chatbot.line_breaks`, `chatbot.allow_tags`,
 * `chatbot.latex_delimiters`); `host` loads KaTeX when a text holds math. Call once.
 */
export function renderers(
  baseUrl: string,
  origin: string,
  config: () => unknown,
  host: RenderHost,
): Renderers {
  configureMarkdown(baseUrl, origin, config);
  let math: Promise<void> | null = null;
  configureMath(() => {
    math ||= host.loadMath().then(
      (chunk: MathChunk) => {
        chunk.fonts(baseUrl);
        setMath(chunk);
        host.redraw();
      },
      (error: unknown) => {
        report(error);
        math = null;
      },
    );
  });
  return { markdown: renderMarkdown, html: sanitizeHtml };
}
