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
import { PURIFY_FILE, type Purify } from "../purify/types";
import css from "./markdown.css";
import { RENDER_KEY, type Render } from "./types";

export const render: Render = {
  css,
  ready(load) {
    if (nativeSanitizer()) return Promise.resolve();
    return load<Purify>(RENDER_KEY, PURIFY_FILE).then((chunk) => usePurify(chunk));
  },
  render(baseUrl, origin, config, host) {
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
  },
};
