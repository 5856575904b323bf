// The round button in the corner that opens and closes the panel, with an optional label and
// icon from the page. The greeting beside it and its unread badge are the nudges chunk's.

import { el, on } from "../dom";
import { chatIcon, closeIcon } from "../icons";
import type { PageConfig } from "../page-config";
import { t } from "../translate";

export interface LauncherView {
  readonly el: HTMLButtonElement;
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

  // A visible label is part of the accessible name (WCAG 2.5.3, label in name).
  const label = page.launcherLabel ? page.launcherLabel + ": " : "";
  const setOpen = (open: boolean): void => {
    button.setAttribute("aria-label", open ? t("launcher_close") : label + t("launcher_open"));
    button.setAttribute("aria-expanded", String(open));
  };
  setOpen(false);
  return { el: button, setOpen };
}
