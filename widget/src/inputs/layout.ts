// What surrounds the conversation, from the config's `layout`: markdown, inputs and output
// boxes above or below it in the Blocks' order; the inputs no layout placed in a collapsible
// section named by `additional_inputs.accordion`; examples that carry input values as a table
// whose rows fill the inputs and send.

import { Pane } from "../artifacts/pane";
import type { ArtifactsView } from "../artifacts/types";
import type { Piece } from "../blocks/events";
import { el, on } from "../dom";
import { HIGHLIGHT_KEY, type Highlight } from "../highlight/types";
import { own, ownString, type Json } from "../json";
import { control, type Control } from "./controls";
import type { InputsHost, InputsView } from "./types";
import { t } from "../translate";

const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);

/**
 * What goes around the conversation; `pieces` receives the components that events read and
 * set, by the id the server gave them.
 */
export function Around(host: InputsHost, pieces: Record<number, Piece> = {}): InputsView {
  const config = host.config;
  const section = own(config, "additional_inputs");
  const specs = list(own(section, "inputs"));
  const controls: Control[] = specs.map(control);
  const outputs: HTMLElement[] = [];
  const placed: boolean[] = controls.map(() => false);
  const inputIds = list(own(own(config, "events"), "inputs"));
  for (let i = 0; i < controls.length; i++) {
    const id = inputIds[i];
    if (typeof id === "number") pieces[id] = controls[i] as Control;
  }

  function item(entry: unknown): HTMLElement | null {
    const type = own(entry, "type");
    const index = own(entry, "index");
    const id = own(entry, "id");
    const keep = (piece: Piece): HTMLElement => {
      if (typeof id === "number") pieces[id] = piece;
      if (own(entry, "visible") === false) piece.node.hidden = true;
      return piece.node;
    };
    if (type === "markdown" || type === "html") {
      let source = ownString(entry, "value") || "";
      const node = el("div", { class: "md around-md" });
      const draw = () =>
        node.replaceChildren(type === "html" ? host.html(source) : host.markdown(source));
      draw();
      return keep({
        node,
        get: () => source,
        set(value) {
          source = typeof value === "string" ? value : "";
          draw();
        },
      });
    }
    if (type === "button") {
      const variant = ownString(entry, "variant");
      const node = el("button", {
        type: "button",
        class: "around-btn" + (variant === "primary" || variant === "stop" ? " " + variant : ""),
        disabled: own(entry, "interactive") === false,
      });
      const get = () => node.textContent || "";
      const piece = { node, get, set: (value: unknown) => (node.textContent = String(value)) };
      piece.set(ownString(entry, "value") || "");
      return keep(piece);
    }
    if (type === "field") return keep(control(own(entry, "spec")));
    if (typeof index !== "number" || index < 0 || index !== Math.floor(index)) return null;
    if (type === "input" && controls[index] && !placed[index]) {
      placed[index] = true;
      return (controls[index] as Control).node;
    }
    if (type === "output" && !outputs[index]) {
      return (outputs[index] = el("div", { class: "output", hidden: true }));
    }
    return null;
  }

  function region(entries: unknown, cls: string): HTMLElement {
    const box = el("div", { class: "around " + cls });
    const items = list(entries);
    for (let i = 0; i < items.length; i++) {
      const node = item(items[i]);
      if (node) box.append(node);
    }
    return box;
  }

  const layout = own(config, "layout");
  const above = region(own(layout, "above"), "above");
  const after = region(own(layout, "below"), "below");
  const below = el("div", { class: "around-below" });
  const rest = controls.filter((_, i) => !placed[i]).map((c) => c.node);
  if (rest.length) {
    const accordion = own(section, "accordion");
    const details = el("details", { class: "accordion" }, [
      el("summary", null, [ownString(accordion, "label") || t("inputs_additional")]),
      el("div", { class: "accordion-body" }, rest),
    ]);
    details.open = own(accordion, "open") === true;
    below.append(details);
  }
  const examples = list(own(config, "examples"));
  const rows = table(examples, controls, host);
  if (rows) {
    below.append(rows);
    // The table stands in for the example buttons of the empty conversation.
    host.panel.classList.add("example-table");
  }
  if (after.childNodes.length) below.append(after);

  let pane: ArtifactsView | null = null;
  function show(values: unknown): void {
    pane ||= Pane({
      specs: own(config, "additional_outputs"),
      boxes: outputs,
      panel: host.panel,
      markdown: host.markdown,
      html: host.html,
      file: host.file,
      highlighter: () => host.load<Highlight>(HIGHLIGHT_KEY),
    });
    pane.update(values);
  }
  // Outputs with a value from the start (`gr.Code(value=...)`) show at once.
  const given = list(own(config, "additional_outputs"));
  for (let i = 0; i < given.length; i++) {
    const value = own(given[i], "value");
    if (value !== null && value !== undefined) {
      show([]);
      break;
    }
  }

  return {
    above,
    below,
    outputs: show,
    values(example) {
      const given = example === null ? null : own(examples[example], "inputs");
      if (Array.isArray(given)) return given as Json[];
      return controls.length ? controls.map((c) => c.get()) : null;
    },
  };
}

/** Examples with input values: one row each (message, then each input's value). */
function table(
  examples: readonly unknown[],
  controls: readonly Control[],
  host: InputsHost,
): HTMLElement | null {
  const rows: HTMLElement[] = [];
  for (let index = 0; index < examples.length; index++) {
    const example = examples[index];
    const values = own(example, "inputs");
    const text = ownString(example, "text");
    if (!Array.isArray(values) || text === undefined) continue;
    const label = ownString(example, "label") || text;
    const cells = [el("td", null, [el("button", { type: "button", class: "ex-send" }, [label])])];
    for (let i = 0; i < controls.length; i++) {
      cells.push(el("td", null, [(controls[i] as Control).show(values[i])]));
    }
    const row = el("tr", null, cells);
    on(row, "click", () => {
      for (let i = 0; i < controls.length; i++) (controls[i] as Control).set(values[i] as Json);
      // An example starts a conversation; later, a row only fills the inputs.
      if (!host.panel.querySelector(".msg")) host.example(index);
    });
    rows.push(row);
  }
  if (!rows.length) return null;
  const names = [t("inputs_message"), ...controls.map((c) => c.label)];
  return el("div", { class: "ex-table" }, [
    el("table", null, [
      el("caption", null, [ownString(host.config, "examples_label") || t("inputs_examples")]),
      el("thead", null, [
        el(
          "tr",
          null,
          names.map((name) => el("th", { scope: "col" }, [name])),
        ),
      ]),
      el("tbody", null, rows),
    ]),
  ]);
}
