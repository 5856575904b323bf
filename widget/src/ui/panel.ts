// The chat panel: a dialog named by its title, with the description under the title (markdown;
// plain text until markdown is ready) and a close button (shown on narrow screens).

import { el, on } from "../dom";
import { closeIcon } from "../icons";
import type { Markdown } from "../render/types";
import { t } from "../translate";

export interface PanelView {
  readonly el: HTMLDivElement;
  setHeader(title: string | null, description: string | null): void;
}

export function Panel(onClose: () => void, body: readonly Node[], markdown: Markdown): PanelView {
  const title = el("h2", { class: "title", id: "chatbubble-title" }, [t("panel_title")]);
  const description = el("div", { class: "desc md", hidden: true });
  const close = el("button", { type: "button", class: "close", "aria-label": t("panel_close") }, [
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
    setHeader(text, source) {
      title.textContent = text || t("panel_title");
      const rendered = source && markdown(source);
      description.classList.toggle("plain", !rendered);
      description.replaceChildren(rendered || source || "");
      description.hidden = !source;
    },
  };
}
