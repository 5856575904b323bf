// The chat panel: a dialog named by its title, with the description under the title and a
// close button (shown on narrow screens).

import { DEFAULT_TITLE } from "../config";
import { el, on } from "../dom";
import { closeIcon } from "../icons";
import { renderMarkdown } from "../markdown";

export interface PanelView {
  readonly el: HTMLDivElement;
  setHeader(title: string | null, description: string | null): void;
}

export function Panel(onClose: () => void, body: readonly Node[]): PanelView {
  const title = el("h2", { class: "title", id: "chatbubble-title" }, [DEFAULT_TITLE]);
  const description = el("div", { class: "desc md", hidden: true });
  const close = el("button", { type: "button", class: "close", "aria-label": "Close chat" }, [
    closeIcon(),
  ]);
  on(close, "click", onClose);
  const panel = el(
    "div",
    {
      class: "panel",
      part: "panel",
      role: "dialog",
      "aria-labelledby": "chatbubble-title",
      hidden: true,
    },
    [
      el("div", { class: "header", part: "header" }, [
        el("div", { class: "heading" }, [title, description]),
        close,
      ]),
      ...body,
    ],
  );
  return {
    el: panel,
    setHeader(text, markdown) {
      title.textContent = text || DEFAULT_TITLE;
      description.replaceChildren(markdown ? renderMarkdown(markdown) : "");
      description.hidden = !markdown;
    },
  };
}
