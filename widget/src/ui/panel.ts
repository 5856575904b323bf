// The chat panel: a dialog named by its title, with a close button (shown on narrow screens).

import { DEFAULT_TITLE } from "../config";
import { el, on } from "../dom";
import { closeIcon } from "../icons";

export interface PanelView {
  readonly el: HTMLDivElement;
  setTitle(title: string | null): void;
}

export function Panel(onClose: () => void, body: readonly Node[]): PanelView {
  const title = el("h2", { class: "title", id: "chatbubble-title" }, [DEFAULT_TITLE]);
  const close = el("button", { type: "button", class: "close", "aria-label": "Close chat" }, [
    closeIcon(),
  ]);
  on(close, "click", onClose);
  const panel = el(
    "div",
    { class: "panel", role: "dialog", "aria-labelledby": "chatbubble-title", hidden: true },
    [el("div", { class: "header" }, [title, close]), ...body],
  );
  return {
    el: panel,
    setTitle(text) {
      title.textContent = text || DEFAULT_TITLE;
    },
  };
}
