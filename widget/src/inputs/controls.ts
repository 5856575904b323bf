// One form control per additional input, from its spec in the config (see ARCHITECTURE.md,
// "Additional inputs"): textbox, slider (with its number), number, checkbox, dropdown (one or
// several), radio, checkbox group. Each reads and writes a JSON value of the kind the server
// checks; labels and choices are only ever text.

import { el, on } from "../dom";
import { own, ownString, type Json } from "../json";
import { t } from "../translate";

export interface Control {
  readonly node: HTMLElement;
  /** The input's label, for the examples table's header. */
  readonly label: string;
  get(): Json;
  set(value: unknown): void;
  /** How a value shows in the examples table. */
  show(value: unknown): string;
}

type Choice = [string, Json];

let counter = 0;
const nextId = (): string => "chatbubble-in-" + ++counter;

const finite = (value: unknown): number | null =>
  typeof value === "number" && isFinite(value) ? value : null;

const isPrimitive = (value: unknown): value is string | number =>
  typeof value === "string" || (typeof value === "number" && isFinite(value));

function choicesOf(spec: unknown): Choice[] {
  const raw = own(spec, "choices");
  const out: Choice[] = [];
  if (!Array.isArray(raw)) return out;
  for (let i = 0; i < raw.length; i++) {
    const pair: unknown = raw[i];
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    const [label, value] = pair as unknown[];
    if (isPrimitive(value)) out.push([String(label), value]);
  }
  return out;
}

function plain(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return t(value ? "inputs_yes" : "inputs_no");
  if (Array.isArray(value)) return value.map(plain).join(", ");
  return isPrimitive(value) ? String(value) : "";
}

/** The label (and the info line under it) of a control. */
function caption(spec: unknown, fallback: string, forId: string | null): [HTMLElement, string] {
  const text = ownString(spec, "label") || fallback;
  const info = ownString(spec, "info");
  const label = forId
    ? el("label", { class: "in-label", for: forId }, [text])
    : el("span", { class: "in-label" }, [text]);
  const box = el("div", { class: "in-caption" }, [label]);
  if (info) box.append(el("span", { class: "in-info" }, [info]));
  return [box, text];
}

function textbox(spec: unknown): Control {
  const id = nextId();
  const [head, label] = caption(spec, t("inputs_textbox"), id);
  const lines = finite(own(spec, "lines")) || 1;
  const placeholder = ownString(spec, "placeholder");
  const attrs = { id, class: "in-text", placeholder: placeholder || undefined };
  const field =
    lines > 1
      ? el("textarea", { ...attrs, rows: String(Math.min(lines, 8)) })
      : el("input", { ...attrs, type: own(spec, "password") === true ? "password" : "text" });
  const control: Control = {
    node: el("div", { class: "in" }, [head, field]),
    label,
    get: () => field.value,
    set(value) {
      field.value = typeof value === "string" ? value : "";
    },
    show: plain,
  };
  control.set(own(spec, "value"));
  return control;
}

/** Keeps a typed number inside the spec's range. */
function clamp(value: number, low: number | null, high: number | null): number {
  if (low !== null && value < low) return low;
  if (high !== null && value > high) return high;
  return value;
}

function slider(spec: unknown): Control {
  const id = nextId();
  const [head, label] = caption(spec, t("inputs_slider"), id);
  const low = finite(own(spec, "minimum")) ?? 0;
  const high = finite(own(spec, "maximum")) ?? 100;
  const step = finite(own(spec, "step")) || "any";
  const range = el("input", {
    id,
    class: "in-range",
    type: "range",
    min: String(low),
    max: String(high),
    step: String(step),
  });
  const number = el("input", {
    class: "in-num",
    type: "number",
    min: String(low),
    max: String(high),
    step: String(step),
    "aria-label": label,
  });
  on(range, "input", () => (number.value = range.value));
  on(number, "change", () => {
    const typed = Number(number.value);
    range.value = String(clamp(number.value === "" || !isFinite(typed) ? low : typed, low, high));
    number.value = range.value;
  });
  head.append(number);
  const control: Control = {
    node: el("div", { class: "in in-slider" }, [head, range]),
    label,
    get: () => Number(range.value),
    set(value) {
      range.value = String(clamp(finite(value) ?? low, low, high));
      number.value = range.value;
    },
    show: plain,
  };
  control.set(own(spec, "value"));
  return control;
}

function numberInput(spec: unknown): Control {
  const id = nextId();
  const [head, label] = caption(spec, t("inputs_number"), id);
  const low = finite(own(spec, "minimum"));
  const high = finite(own(spec, "maximum"));
  const step = finite(own(spec, "step"));
  const field = el("input", {
    id,
    class: "in-text",
    type: "number",
    inputmode: "decimal",
    min: low === null ? undefined : String(low),
    max: high === null ? undefined : String(high),
    step: step === null ? "any" : String(step),
  });
  on(field, "change", () => {
    const typed = Number(field.value);
    if (field.value !== "" && isFinite(typed)) field.value = String(clamp(typed, low, high));
  });
  const control: Control = {
    node: el("div", { class: "in" }, [head, field]),
    label,
    get() {
      const typed = Number(field.value);
      return field.value === "" || !isFinite(typed) ? null : clamp(typed, low, high);
    },
    set(value) {
      const found = finite(value);
      field.value = found === null ? "" : String(found);
    },
    show: plain,
  };
  control.set(own(spec, "value"));
  return control;
}

function checkbox(spec: unknown): Control {
  const id = nextId();
  const label = ownString(spec, "label") || t("inputs_checkbox");
  const info = ownString(spec, "info");
  const box = el("input", { id, type: "checkbox", class: "in-check" });
  const row = el("div", { class: "in-option" }, [box, el("label", { for: id }, [label])]);
  const node = el("div", { class: "in" }, [row]);
  if (info) node.append(el("span", { class: "in-info" }, [info]));
  const control: Control = {
    node,
    label,
    get: () => box.checked,
    set(value) {
      box.checked = value === true;
    },
    show: plain,
  };
  control.set(own(spec, "value"));
  return control;
}

/** Radio buttons (one value) or checkboxes (several), in a fieldset named by the label. */
function group(spec: unknown, several: boolean, fallback: string): Control {
  const choices = choicesOf(spec);
  const name = nextId();
  const text = ownString(spec, "label") || fallback;
  const info = ownString(spec, "info");
  const inputs: HTMLInputElement[] = [];
  const rows = choices.map(([label], i) => {
    const id = name + "-" + i;
    const box = el("input", { id, name, type: several ? "checkbox" : "radio", class: "in-check" });
    inputs.push(box);
    return el("div", { class: "in-option" }, [box, el("label", { for: id }, [label])]);
  });
  const legend = el("legend", { class: "in-label" }, [text]);
  const node = el("fieldset", { class: "in in-group" }, [legend]);
  if (info) node.append(el("span", { class: "in-info" }, [info]));
  node.append(el("div", { class: "in-options" }, rows));
  const control: Control = {
    node,
    label: text,
    get() {
      const chosen: Json[] = [];
      for (let i = 0; i < inputs.length; i++) {
        if ((inputs[i] as HTMLInputElement).checked) chosen.push((choices[i] as Choice)[1]);
      }
      return several ? chosen : chosen.length ? (chosen[0] as Json) : null;
    },
    set(value) {
      const wanted: unknown[] = Array.isArray(value) ? value : [value];
      for (let i = 0; i < inputs.length; i++) {
        (inputs[i] as HTMLInputElement).checked = wanted.indexOf((choices[i] as Choice)[1]) >= 0;
      }
    },
    show: (value) => labelOf(choices, value),
  };
  control.set(own(spec, "value"));
  return control;
}

function labelOf(choices: readonly Choice[], value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => labelOf(choices, item)).join(", ");
  for (let i = 0; i < choices.length; i++) {
    if ((choices[i] as Choice)[1] === value) return (choices[i] as Choice)[0];
  }
  return plain(value);
}

/** One value: a select, or a text field with suggestions when custom values are allowed. */
function dropdown(spec: unknown): Control {
  if (own(spec, "multiselect") === true) return group(spec, true, t("inputs_dropdown"));
  const choices = choicesOf(spec);
  const id = nextId();
  const [head, label] = caption(spec, t("inputs_dropdown"), id);
  const show = (value: unknown): string => labelOf(choices, value);
  if (own(spec, "allow_custom_value") === true) {
    const list = el(
      "datalist",
      { id: id + "-list" },
      choices.map(([text]) => el("option", { value: text })),
    );
    const field = el("input", { id, class: "in-text", type: "text", list: id + "-list" });
    const control: Control = {
      node: el("div", { class: "in" }, [head, field, list]),
      label,
      get() {
        for (let i = 0; i < choices.length; i++) {
          if ((choices[i] as Choice)[0] === field.value) return (choices[i] as Choice)[1];
        }
        return field.value;
      },
      set(value) {
        field.value = value === null || value === undefined ? "" : show(value);
      },
      show,
    };
    control.set(own(spec, "value"));
    return control;
  }
  const select = el("select", { id, class: "in-text" }, [el("option", { value: "" }, [""])]);
  for (let i = 0; i < choices.length; i++) {
    select.append(el("option", { value: String(i) }, [(choices[i] as Choice)[0]]));
  }
  const control: Control = {
    node: el("div", { class: "in" }, [head, select]),
    label,
    get() {
      const chosen = choices[Number(select.value)];
      return select.value !== "" && chosen ? chosen[1] : null;
    },
    set(value) {
      select.value = "";
      for (let i = 0; i < choices.length; i++) {
        if ((choices[i] as Choice)[1] === value) select.value = String(i);
      }
    },
    show,
  };
  control.set(own(spec, "value"));
  return control;
}

/** The control for one spec; an unknown type is a read-only note. */
export function control(spec: unknown): Control {
  const type = own(spec, "type");
  if (type === "textbox") return textbox(spec);
  if (type === "slider") return slider(spec);
  if (type === "number") return numberInput(spec);
  if (type === "checkbox") return checkbox(spec);
  if (type === "dropdown") return dropdown(spec);
  if (type === "radio") return group(spec, false, t("inputs_radio"));
  if (type === "checkboxgroup") return group(spec, true, t("inputs_checkbox_group"));
  const value = own(spec, "value") as Json;
  return {
    node: el("div", { class: "in" }),
    label: ownString(spec, "label") || "",
    get: () => (value === undefined ? null : value),
    set() {},
    show: plain,
  };
}
