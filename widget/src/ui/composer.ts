// The composer: an auto-growing textarea with Send, replaced by Stop while an answer streams.
// Enter sends, Shift+Enter inserts a newline, and Enter that confirms an IME composition is
// left to the IME. The server's textbox options set the placeholder, rows, length limit and
// buttons. A multimodal app's "Attach files" and "Record audio" are the uploads chunk's: it puts
// them before the textarea (`input`).

import type { ButtonSetting, TextboxOptions } from "../config";
import { charCount } from "../conversation";
import { el, on } from "../dom";
import { sendIcon, stopIcon } from "../icons";
import { t } from "../translate";

/** Height of one line of text and the textarea's vertical padding, in px (see panel.css). */
const LINE_PX = 21;
const PADDING_PX = 14;

export interface ComposerView {
  readonly el: HTMLDivElement;
  /** The textarea (the uploads chunk's buttons go before it; files pasted into it attach). */
  readonly input: HTMLTextAreaElement;
  focus(): void;
  /** Empties the textarea (after a message was accepted). */
  clear(): void;
  /** Puts `text` in the textarea (an example, when examples do not send). */
  fill(text: string): void;
  /** Swaps Send for Stop while an answer streams. */
  setBusy(busy: boolean): void;
  /** Shows a short notice above the textarea, or hides it with null. */
  notice(message: string | null): void;
  configure(options: TextboxOptions): void;
  /** Disables Send while files upload. */
  block(busy: boolean): void;
}

export interface ComposerActions {
  /** Called with the raw text; returns true when the message was accepted. */
  send(text: string): boolean;
  stop(): void;
}

function action(name: string, icon: SVGSVGElement): HTMLButtonElement {
  const button = el("button", { type: "button", class: "action " + name.toLowerCase() });
  label(button, true, name, icon);
  return button;
}

/** `true`: an icon button named `name`; a string: a text button; `false`: no button. */
function label(button: HTMLButtonElement, setting: ButtonSetting, name: string, icon: Node): void {
  const text = typeof setting === "string";
  button.classList.toggle("text", text);
  button.replaceChildren(text ? setting : icon);
  if (text) button.removeAttribute("aria-label");
  else button.setAttribute("aria-label", name);
}

export function Composer(actions: ComposerActions): ComposerView {
  const input = el("textarea", {
    class: "input",
    rows: "1",
    "aria-label": t("composer_message"),
    placeholder: t("composer_placeholder"),
    autocomplete: "off",
  });
  const send = action(t("composer_send"), sendIcon());
  const stop = action(t("composer_stop"), stopIcon());
  stop.hidden = true;
  const notice = el("p", { class: "notice", role: "alert", hidden: true });
  const box = el("div", { class: "composer", part: "composer" }, [
    notice,
    el("div", { class: "row" }, [input, send, stop]),
  ]);
  let busy = false;
  let maxHeight = 140;
  let maxLength = 0;
  let atLimit = false;
  let buttons = { send: true, stop: true };

  const showNotice = (message: string | null): void => {
    notice.textContent = message ?? "";
    notice.hidden = message === null;
  };

  const grow = (): void => {
    input.style.height = "auto";
    // Not laid out yet (the panel is hidden): leave the height to `rows` until it is.
    if (input.scrollHeight) input.style.height = Math.min(input.scrollHeight, maxHeight) + "px";
    box.classList.toggle("blank", !input.value.trim());
    const full = maxLength > 0 && charCount(input.value) >= maxLength;
    if (full || atLimit) showNotice(full ? t("composer_limit", { max: maxLength }) : null);
    atLimit = full;
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

  const setBusy = (next: boolean): void => {
    busy = next;
    const active = (box.getRootNode() as ShadowRoot | Document).activeElement;
    send.hidden = next || !buttons.send;
    stop.hidden = !next || !buttons.stop;
    // The focused button is about to disappear: keep focus in the composer.
    if (active === send || active === stop) input.focus();
  };

  return {
    el: box,
    input,
    focus() {
      grow();
      input.focus();
    },
    clear() {
      input.value = "";
      grow();
    },
    fill(text) {
      input.value = text;
      input.focus();
      grow();
    },
    setBusy,
    notice: showNotice,
    configure(options) {
      input.placeholder = options.placeholder ?? t("composer_placeholder");
      input.rows = options.lines;
      maxHeight = options.maxLines * LINE_PX + PADDING_PX;
      input.style.maxHeight = maxHeight + "px";
      maxLength = options.maxLength ?? 0;
      if (maxLength) input.maxLength = maxLength;
      label(send, options.submitBtn, t("composer_send"), sendIcon());
      label(stop, options.stopBtn, t("composer_stop"), stopIcon());
      buttons = { send: options.submitBtn !== false, stop: options.stopBtn !== false };
      setBusy(busy);
      grow();
    },
    block(next) {
      send.disabled = next;
    },
  };
}
