// The consent chunk: the question a visitor answers before their first message leaves the
// browser (the `consent` setting, `data-consent`). It takes the conversation's place in the
// panel (the panel's other parts are hidden, so nothing there can be used, while the header
// still closes the chat) until the visitor accepts; Decline closes the panel and the question
// stays for the next time it opens. The answer goes to localStorage under `host.key`. It
// defines no global: its exports go to a one-shot setter on `window.chatbubble`.

import { el, on } from "../dom";
import { handOver } from "../handover";
import { t } from "../translate";
import css from "./consent.css";
import { CONSENT_KEY, type Consent, type ConsentHost } from "./types";

/** The question on screen (one per widget: this chunk's copy is this widget's). */
let box: HTMLElement | null = null;

function keep(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage refused: the core remembers an Accept for this page only
  }
}

function ask(host: ConsentHost): void {
  const { panel } = host;
  if (!box) {
    const answer = (yes: boolean): void => {
      keep(host.key, yes ? "1" : "0");
      if (yes) {
        box!.remove();
        box = null;
        panel.classList.remove("gated");
      }
      host.done(yes);
    };
    const accept = el("button", { type: "button", class: "yes" }, [t("consent_accept")]);
    const decline = el("button", { type: "button", class: "no" }, [t("consent_decline")]);
    on(accept, "click", () => answer(true));
    on(decline, "click", () => answer(false));
    box = el("div", { class: "consent", role: "region", "aria-label": t("consent_label") }, [
      el("p", {}, [host.question === true ? t("consent_question") : host.question]),
    ]);
    if (host.privacy) {
      box.append(
        el("a", { href: host.privacy, target: "_blank", rel: "noopener noreferrer" }, [
          t("privacy_link"),
        ]),
      );
    }
    box.append(el("div", { class: "consent-actions" }, [decline, accept]));
    panel.insertBefore(box, panel.firstElementChild!.nextSibling);
    panel.classList.add("gated");
  }
  (box.querySelector(".yes") as HTMLElement).focus();
}

handOver(CONSENT_KEY, { css, ask } satisfies Consent);
