// The image viewer: a modal dialog over the chat panel showing one image large, with Previous
// and Next for galleries. Escape, the Close button or a click on the backdrop close it; focus
// stays inside while it is open and returns to the thumbnail that opened it.

import { el, on } from "../dom";
import type { FilePart } from "../parts";
import { t } from "../translate";

export interface Viewer {
  /** Shows `images[index]` (each with its checked URL); `opener` gets focus back on close. */
  open(images: readonly [FilePart, string][], index: number, opener: HTMLElement): void;
}

function button(name: string, glyph: string, cls: string): HTMLButtonElement {
  return el("button", { type: "button", class: "vw-btn " + cls, "aria-label": name, title: name }, [
    glyph,
  ]);
}

export function Viewer(panel: HTMLElement): Viewer {
  const image = el("img", { class: "vw-img", alt: "" });
  const caption = el("p", { class: "vw-caption" });
  const close = button(t("viewer_close"), "\u00d7", "vw-close");
  const previous = button(t("viewer_previous"), "\u2039", "vw-prev");
  const next = button(t("viewer_next"), "\u203a", "vw-next");
  const dialog = el(
    "div",
    { class: "viewer", role: "dialog", "aria-modal": "true", "aria-label": t("viewer_title") },
    [el("figure", { class: "vw-figure" }, [image, caption]), previous, next, close],
  );
  dialog.hidden = true;
  let items: readonly [FilePart, string][] = [];
  let at = 0;
  let opener: HTMLElement | null = null;

  const show = (index: number): void => {
    at = (index + items.length) % items.length;
    const [part, url] = items[at] as [FilePart, string];
    image.src = url;
    image.alt = part.alt || part.name;
    const label = part.alt || part.name;
    caption.textContent =
      items.length > 1
        ? t("viewer_position", { name: label, index: at + 1, total: items.length })
        : label;
    previous.hidden = next.hidden = items.length < 2;
  };

  const hide = (): void => {
    dialog.hidden = true;
    image.removeAttribute("src");
    if (opener) opener.focus();
    opener = null;
  };

  on(close, "click", hide);
  on(previous, "click", () => show(at - 1));
  on(next, "click", () => show(at + 1));
  on(dialog, "click", (event) => {
    if (event.target === dialog) hide();
  });
  on(dialog, "keydown", (event) => {
    if (event.key === "Escape") {
      // The viewer closes, not the chat panel behind it.
      event.stopPropagation();
      event.preventDefault();
      hide();
    } else if (/^Arrow(?:Left|Right)$/.test(event.key) && items.length > 1) {
      // Each arrow goes toward its side's button: Previous is on the right, right to left.
      show(
        event.key === (getComputedStyle(dialog).direction === "rtl" ? "ArrowRight" : "ArrowLeft")
          ? at - 1
          : at + 1,
      );
    } else if (event.key === "Tab") {
      const stops = [previous, next, close].filter((b) => !b.hidden);
      const active = (dialog.getRootNode() as ShadowRoot).activeElement as HTMLButtonElement;
      const from = stops.indexOf(active);
      event.preventDefault();
      const step = event.shiftKey ? stops.length - 1 : 1;
      (stops[(from < 0 ? 0 : from + step) % stops.length] as HTMLButtonElement).focus();
    }
  });

  return {
    open(list, index, from) {
      if (!dialog.isConnected) panel.append(dialog);
      items = list;
      opener = from;
      show(index);
      dialog.hidden = false;
      close.focus();
    },
  };
}
