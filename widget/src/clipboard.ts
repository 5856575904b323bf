// Copying text from a button: the Clipboard API, else the old selection way (pages served over
// http, or where the API is refused). Used by the chunks that have Copy buttons.

import { el } from "./dom";
import { t } from "./translate";

export /** Copies `text`; the button says how it went for a moment. */
function copy(button: HTMLButtonElement, text: string): void {
  const label = (button.dataset["label"] ||= button.textContent || t("action_copy"));
  const said = (message: string): void => {
    button.textContent = message;
    setTimeout(() => (button.textContent = label), 1500);
  };
  const fallback = (): void => {
    const area = el("textarea", { class: "sr-only", readonly: true });
    area.value = text;
    button.after(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    button.focus();
    said(t(ok ? "action_copied" : "action_copy_failed"));
  };
  if (navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
    navigator.clipboard.writeText(text).then(() => said(t("action_copied")), fallback);
  } else fallback();
}
