// The round button in the corner that opens and closes the panel, with an optional label and
// icon from the page; `onIntent` starts loading the panel chunk before the click. The greeting beside it and its unread badge are the nudges chunk's.

import { el, guard, on } from "../dom";
import { chatIcon, closeIcon } from "../icons";
import type { PageConfig } from "../page-config";
import type { LauncherView } from "../panel/types";
import { t } from "../translate";

/** What tells that the visitor is about to open the chat (`onIntent`, once each). */
const INTENT = ["pointerenter", "touchstart", "focus"];

export function Launcher(
  onToggle: () => void,
  onIntent: () => void,
  page: PageConfig,
): LauncherView {
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
  // The visitor is about to open the chat (a pointer over the launcher, a touch, the focus):
  // the panel starts loading before the click.
  for (let i = 0; i < INTENT.length; i++)
    button.addEventListener(INTENT[i] as string, guard(onIntent), { once: true, passive: true });

  // A visible label is part of the accessible name (WCAG 2.5.3, label in name).
  const label = page.launcherLabel ? page.launcherLabel + ": " : "";
  const setOpen = (open: boolean): void => {
    button.setAttribute("aria-label", open ? t("launcher_close") : label + t("launcher_open"));
    button.setAttribute("aria-expanded", String(open));
  };
  setOpen(false);
  return { el: button, setOpen };
}
