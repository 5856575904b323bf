// The artifact pane: each additional output in its box (placed by the layout), with a header
// (its label, Copy for code and JSON, Expand). Code is shown as text at once and highlighted
// when the highlight chunk arrives; JSON is pretty-printed and highlighted as code; markdown and
// HTML go through the one sanitizer; images are file parts drawn like those of answers. A null
// value leaves an output as it is. Expand widens the panel into two columns (on narrow screens
// the pane takes the whole panel); wide screens get that at the first artifact.

import { copy } from "../clipboard";
import { el, on, report } from "../dom";
import { own, ownString } from "../json";
import { filePart, type FilePart } from "../parts";
import type { ArtifactsHost, ArtifactsView } from "./types";
import { t } from "../translate";

const NAMES: Readonly<Record<string, string>> = {
  code: "artifacts_code",
  markdown: "artifacts_markdown",
  json: "artifacts_json",
  image: "artifacts_image",
  html: "artifacts_html",
};
/** Wide enough to show the pane beside the conversation without asking. */
const ROOMY = "(min-width: 1100px)";

const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);

/** JSON text with two-space indents, walking own data only (no `toJSON` is ever called). */
export function pretty(value: unknown, indent = ""): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") return isFinite(value) ? String(value) : "null";
  if (typeof value === "string") return JSON.stringify(value);
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (!value.length) return "[]";
    const items = (value as unknown[]).map((item) => inner + pretty(item, inner));
    return "[\n" + items.join(",\n") + "\n" + indent + "]";
  }
  if (typeof value !== "object") return "null";
  const keys = Object.keys(value);
  if (!keys.length) return "{}";
  const entries = keys.map(
    (key) => inner + JSON.stringify(key) + ": " + pretty(own(value, key), inner),
  );
  return "{\n" + entries.join(",\n") + "\n" + indent + "}";
}

export function Pane(host: ArtifactsHost): ArtifactsView {
  const specs = list(host.specs);
  const shown: unknown[] = specs.map(() => null);
  const expanders: HTMLButtonElement[] = [];
  /** Each box's body and Copy button, once it has a header. */
  const cards: ([HTMLElement, HTMLButtonElement, HTMLElement] | undefined)[] = [];
  const copied: string[] = [];
  let first = true;

  function expand(wide: boolean): void {
    host.panel.classList.toggle("wide", wide);
    for (let i = 0; i < expanders.length; i++) {
      const button = expanders[i] as HTMLButtonElement;
      button.setAttribute("aria-expanded", String(wide));
      button.textContent = t(wide ? "artifacts_collapse" : "artifacts_expand");
    }
  }

  function card(index: number, box: HTMLElement): [HTMLElement, HTMLButtonElement, HTMLElement] {
    const found = cards[index];
    if (found) return found;
    const spec = specs[index];
    const name =
      ownString(spec, "label") || t(NAMES[ownString(spec, "type") || ""] || "artifacts_output");
    const tag = el("span", { class: "art-tag" });
    const copier = el("button", { type: "button", class: "art-btn" }, [t("action_copy")]);
    on(copier, "click", () => copy(copier, copied[index] || ""));
    const expander = el("button", { type: "button", class: "art-btn", "aria-expanded": "false" }, [
      t("artifacts_expand"),
    ]);
    on(expander, "click", () => expand(!host.panel.classList.contains("wide")));
    expanders.push(expander);
    const body = el("div", { class: "art-body" });
    box.replaceChildren(
      el("div", { class: "art-head" }, [
        el("span", { class: "art-name" }, [name]),
        tag,
        copier,
        expander,
      ]),
      body,
    );
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", name);
    return (cards[index] = [body, copier, tag]);
  }

  function code(body: HTMLElement, text: string, language: string, index: number): void {
    const inner = el("code", null, [text]);
    body.replaceChildren(el("pre", { class: "art-code", tabindex: "0" }, [inner]));
    if (!language) return;
    const current = shown[index];
    host.highlighter().then(
      (highlight) => {
        if (shown[index] !== current || !inner.isConnected) return;
        const tokens = highlight.highlight(text, language);
        if (tokens) {
          inner.replaceChildren(tokens);
          inner.className = "hljs language-" + language.replace(/[^\w+#.-]/g, "");
        }
      },
      (error: unknown) => report(error),
    );
  }

  function show(index: number, value: unknown): void {
    const box = host.boxes[index];
    if (!box || !value || typeof value !== "object") return;
    shown[index] = value;
    const [body, copier, tag] = card(index, box);
    const type = ownString(value, "type");
    const spec = specs[index];
    let text: string | null = null;
    let language = "";
    tag.textContent = "";
    if (type === "code") {
      text = ownString(value, "value") || "";
      language = ownString(value, "language") || ownString(spec, "language") || "";
      tag.textContent = language;
      code(body, text, language, index);
    } else if (type === "json") {
      text = pretty(own(value, "value"));
      code(body, text, "json", index);
    } else if (type === "markdown") {
      body.replaceChildren(
        el("div", { class: "md" }, [host.markdown(ownString(value, "value") || "")]),
      );
    } else if (type === "html") {
      body.replaceChildren(
        el("div", { class: "md html" }, [host.html(ownString(value, "html") || "")]),
      );
    } else if (type === "file" && filePart(value)) {
      const media = el("div", { class: "md" });
      body.replaceChildren(media);
      host.file(filePart(value) as FilePart, media);
    } else return;
    copied[index] = text || "";
    copier.hidden = text === null;
    box.hidden = false;
    if (first) {
      first = false;
      if (window.matchMedia && window.matchMedia(ROOMY).matches) expand(true);
    }
  }

  // Initial values from the config (`gr.Code(value=...)`, say).
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    const type = ownString(spec, "type");
    const value = own(spec, "value");
    if (value === null || value === undefined || !type) continue;
    if (type === "html") show(i, { type, html: value });
    else if (type !== "image") show(i, { type, value, language: own(spec, "language") });
  }

  return {
    update(outputs) {
      const items = list(outputs);
      for (let i = 0; i < items.length; i++) if (items[i] !== null) show(i, items[i]);
    },
    values: () => shown.slice(),
  };
}
