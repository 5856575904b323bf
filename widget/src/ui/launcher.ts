// The round button in the corner that opens and closes the panel, with an optional label and
// icon from the page, and the greeting bubble shown beside it while the panel is closed.

import { el, on } from "../dom";
import { chatIcon, closeIcon } from "../icons";
import type { PageConfig } from "../page-config";

/** Set for the rest of the tab's visit once the visitor dismissed the greeting. */
const GREETING_KEY = "chatbubble:greeting-dismissed";

export interface LauncherView {
  readonly el: HTMLButtonElement;
  /** The greeting bubble, or null when the page set none. */
  readonly greeting: HTMLDivElement | null;
  setOpen(open: boolean): void;
}

export function Launcher(onToggle: () => void, page: PageConfig): LauncherView {
  const icon = page.launcherIcon
    ? el("img", { src: page.launcherIcon, alt: "", class: "custom-icon" })
    : chatIcon();
  const button = el(
    "button",
    { type: "button", class: "launcher", part: "launcher", "aria-expanded": "false" },
    [
      el("span", { class: "icon-open" }, [icon]),
      el("span", { class: "icon-close" }, [closeIcon()]),
    ],
  );
  if (page.launcherLabel) {
    button.classList.add("labelled");
    button.append(el("span", { class: "label" }, [page.launcherLabel]));
  }
  on(button, "click", onToggle);

  let greeting: HTMLDivElement | null = null;
  if (page.greeting) {
    const dismiss = el(
      "button",
      { type: "button", class: "dismiss", "aria-label": "Dismiss greeting" },
      [closeIcon()],
    );
    const bubble = el("div", { class: "greeting", part: "greeting" }, [
      el("p", null, [page.greeting]),
      dismiss,
    ]);
    on(dismiss, "click", () => {
      bubble.remove();
      button.focus();
      try {
        sessionStorage.setItem(GREETING_KEY, "1");
      } catch {
        // the greeting just comes back on the next page
      }
    });
    greeting = bubble;
    try {
      if (sessionStorage.getItem(GREETING_KEY)) greeting = null;
    } catch {
      // storage refused: show it
    }
  }

  // A visible label is part of the accessible name (WCAG 2.5.3, label in name).
  const label = page.launcherLabel ? page.launcherLabel + ": " : "";
  const setOpen = (open: boolean): void => {
    button.setAttribute("aria-label", open ? "Close chat" : label + "Open chat");
    button.setAttribute("aria-expanded", String(open));
    if (open) greeting?.remove();
  };
  setOpen(false);
  return { el: button, greeting, setOpen };
}
