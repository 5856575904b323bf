// The round button in the corner that opens and closes the panel.

import { el, on } from "../dom";
import { chatIcon, closeIcon } from "../icons";

export interface LauncherView {
  readonly el: HTMLButtonElement;
  setOpen(open: boolean): void;
}

export function Launcher(onToggle: () => void): LauncherView {
  const button = el("button", { type: "button", class: "launcher", "aria-expanded": "false" }, [
    el("span", { class: "icon-open" }, [chatIcon()]),
    el("span", { class: "icon-close" }, [closeIcon()]),
  ]);
  on(button, "click", onToggle);
  const setOpen = (open: boolean): void => {
    button.setAttribute("aria-label", open ? "Close chat" : "Open chat");
    button.setAttribute("aria-expanded", String(open));
  };
  setOpen(false);
  return { el: button, setOpen };
}
