// The unread badge: the number of answers that finished while the panel was closed, on the
// launcher (hidden from screen readers: the launcher's accessible name says it, and a polite
// live region announces it), cleared when the panel opens. Kept per tab (sessionStorage, beside
// the conversation), so it follows the visitor to the site's next pages.

import { el } from "../dom";
import type { NudgesHost } from "./types";
import { t } from "../translate";

let host: NudgesHost;
let count = 0;
let badge: HTMLSpanElement | null = null;
/** The launcher's name without the count. */
let name = "";
let status: HTMLDivElement;

function keep(): void {
  try {
    const key = host.key + ":unread";
    if (count) sessionStorage.setItem(key, String(count));
    else sessionStorage.removeItem(key);
  } catch {
    // storage refused: the badge stays on this page only
  }
}

const words = (): string => t("unread_badge", { count });

function show(): void {
  if (!badge) {
    name = host.launcher.getAttribute("aria-label") || "";
    badge = el("span", { class: "badge", part: "badge", "aria-hidden": "true" });
    host.launcher.append(badge);
  }
  badge.textContent = count > 99 ? "99+" : String(count);
  host.launcher.setAttribute("aria-label", name + " (" + words() + ")");
}

/** Sets the badge up on this page: the count a previous page kept, while the panel is closed. */
export function startBadge(lent: NudgesHost): void {
  host = lent;
  status = el("div", { class: "sr-only unread", role: "status", "aria-live": "polite" });
  host.root.append(status);
  try {
    count = Math.min(Number(sessionStorage.getItem(host.key + ":unread")) | 0, 1e6);
  } catch {
    count = 0;
  }
  if (count > 0 && !host.isOpen()) show();
  else clearBadge();
}

/** An answer finished while the panel was closed. */
export function unread(): void {
  if (host.isOpen()) return;
  count++;
  keep();
  show();
  status.textContent = words();
}

/** The panel opened: the answers are read. */
export function clearBadge(): void {
  count = 0;
  keep();
  if (badge) {
    badge.remove();
    badge = null;
  }
  status.textContent = "";
}
