// The render chunk: markdown.ts (marked, DOMPurify and the link and image policy) with the styles
// of rendered markdown, loaded by the core (ui/chunks.ts `loadRender`). It defines no global: its
// exports go to a one-shot setter on `window.chatbubble`.

import { handOver } from "../dom";
import { configureMarkdown, renderMarkdown, sanitizeHtml } from "../markdown";
import css from "./markdown.css";
import { RENDER_KEY, type Render } from "./types";

const exports: Render = {
  css,
  render(baseUrl, origin, config) {
    configureMarkdown(baseUrl, origin, config);
    return { markdown: renderMarkdown, html: sanitizeHtml };
  },
};
handOver(RENDER_KEY, exports);
