// The greeting: a small dismissible bubble beside the closed launcher, plain text. Its text is
// the script tag's `data-greeting`, else the server's `greeting` setting; it appears after
// `data-greeting-delay` (else the server's `greeting_delay`) seconds, hidden in the page until
// then. Once the visitor dismissed it or opened the panel it is remembered per visitor
// (localStorage, per backend and app, with its text: a new greeting shows once again).

import { el, on } from "../dom";
import { closeIcon } from "../icons";
import { own, ownString } from "../json";
import type { NudgesHost } from "./types";
import { t } from "../translate";

/** Longest delay, in seconds (an hour: longer is surely a mistake). */
const MAX_DELAY = 3600;

let bubble: HTMLDivElement | null = null;
let remember = (): void => undefined;

function store(change: (storage: Storage) => string | void): string | void {
  try {
    return change(localStorage);
  } catch {
    // storage refused: the greeting may come back on the next page
  }
}

/** Arms the greeting (once per page): shown after its delay unless seen before. */
export function greet(host: NudgesHost): void {
  const server = own(host.raw, "greeting");
  const text = host.page.greeting || ownString(server, "text");
  if (!text || host.life.signal.aborted) return; // the chat went while this chunk loaded
  const key = host.key + ":greeting";
  remember = () => store((storage) => storage.setItem(key, text));
  if (host.isOpen() || store((storage) => storage.getItem(key) || "") === text) {
    remember();
    return;
  }
  const delay = own(server, "delay");
  const seconds =
    host.page.greetingDelay ??
    (typeof delay === "number" && delay >= 0 && delay <= MAX_DELAY ? delay : 0);
  const dismiss = el(
    "button",
    { type: "button", class: "dismiss", "aria-label": t("nudges_dismiss") },
    [closeIcon()],
  );
  const shown = (bubble = el("div", { class: "greeting", part: "greeting", hidden: true }, [
    el("p", null, [text]),
    dismiss,
  ]));
  on(dismiss, "click", () => {
    seenGreeting();
    host.launcher.focus();
  });
  host.root.append(shown);
  const timer = setTimeout(() => {
    if (shown.isConnected) shown.hidden = false;
  }, seconds * 1000);
  host.life.signal.addEventListener("abort", () => clearTimeout(timer));
}

/** Dismissed, or the panel opened: gone, and not shown to this visitor again. */
export function seenGreeting(): void {
  if (!bubble) return;
  bubble.remove();
  bubble = null;
  remember();
}
