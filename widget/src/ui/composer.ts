// The composer: an auto-growing textarea with Send, replaced by Stop while an answer streams.
// Enter sends, Shift+Enter inserts a newline, and Enter that confirms an IME composition is
// left to the IME.

import { el, on } from "../dom";
import { sendIcon, stopIcon } from "../icons";

const MAX_HEIGHT_PX = 140;

export interface ComposerView {
  readonly el: HTMLDivElement;
  focus(): void;
  /** Empties the textarea (after a message was accepted). */
  clear(): void;
  /** Swaps Send for Stop while an answer streams. */
  setBusy(busy: boolean): void;
  /** Shows a short notice above the textarea, or hides it with null. */
  notice(message: string | null): void;
}

export interface ComposerActions {
  /** Called with the raw text; returns true when the message was accepted. */
  send(text: string): boolean;
  stop(): void;
}

export function Composer(actions: ComposerActions): ComposerView {
  const input = el("textarea", {
    class: "input",
    rows: "1",
    "aria-label": "Message",
    placeholder: "Write a message…",
    autocomplete: "off",
  });
  const send = el("button", { type: "button", class: "action send", "aria-label": "Send" }, [
    sendIcon(),
  ]);
  const stop = el(
    "button",
    { type: "button", class: "action stop", "aria-label": "Stop", hidden: true },
    [stopIcon()],
  );
  const notice = el("p", { class: "notice", role: "alert", hidden: true });
  const box = el("div", { class: "composer" }, [
    notice,
    el("div", { class: "row" }, [input, send, stop]),
  ]);
  let busy = false;

  const grow = (): void => {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, MAX_HEIGHT_PX) + "px";
    box.classList.toggle("blank", !input.value.trim());
  };

  const submit = (): void => {
    if (busy) return;
    if (actions.send(input.value)) input.focus();
  };

  on(send, "click", submit);
  on(input, "input", grow);
  on(input, "keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229)
      return;
    event.preventDefault();
    submit();
  });
  on(stop, "click", () => {
    actions.stop();
    input.focus();
  });
  box.classList.add("blank");

  return {
    el: box,
    focus() {
      grow();
      input.focus();
    },
    clear() {
      input.value = "";
      grow();
    },
    setBusy(next) {
      busy = next;
      const active = (box.getRootNode() as ShadowRoot | Document).activeElement;
      send.hidden = next;
      stop.hidden = !next;
      // The focused button is about to disappear: keep focus in the composer.
      if (active === send || active === stop) input.focus();
    },
    notice(message) {
      notice.textContent = message ?? "";
      notice.hidden = message === null;
    },
  };
}
