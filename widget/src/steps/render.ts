// Draws an answer whose parts carry `metadata` or `options`. A part with a `metadata.title` is a
// step: a button (title, log, duration; a spinner while pending) that opens and closes its body,
// which holds the part's content and the steps nested under it. Other parts are drawn as usual.
// Preset replies are buttons under their part. Elements are kept across renders, keyed by the
// part's place in the answer, so streaming never resets what the visitor opened.

import { el, on } from "../dom";
import { encodeJson, own, ownString, type Json } from "../json";
import type { Part } from "../parts";
import type { StepsHost, StepsView } from "./types";
import { t } from "../translate";

interface Meta {
  readonly title: string | null;
  readonly id: string | null;
  readonly parent: string | null;
  readonly pending: boolean;
  readonly done: boolean;
  readonly duration: number | null;
  readonly log: string | null;
}

interface Choice {
  readonly value: string;
  readonly label: string;
}

/** One part on screen. */
interface Item {
  /** What is placed: the step, or the part's content box. */
  readonly node: HTMLElement;
  /** Where the part's own content goes. */
  readonly box: HTMLElement;
  /** Steps only: the header button, its parts, and the box of nested steps. */
  readonly head: HTMLButtonElement | null;
  readonly kids: HTMLElement | null;
  /** The part drawn (the same object while an answer streams and it does not change). */
  part: Part | null;
  /** The JSON of what was drawn: content, metadata, options. */
  body: string;
  meta: string;
  choices: string;
  /** Its preset replies: the buttons' group, or null without any. */
  replies: HTMLElement | null;
  /** The visitor opened or closed the step: automatic changes leave it alone. */
  touched: boolean;
  wasPending: boolean;
}

let counter = 0;

const text = (value: unknown): string | null => {
  if (typeof value === "string") return value;
  return typeof value === "number" && isFinite(value) ? String(value) : null;
};

function meta(part: Part): Meta | null {
  const raw = own(part, "metadata");
  if (!raw || typeof raw !== "object") return null;
  const status = own(raw, "status");
  const duration = own(raw, "duration");
  return {
    title: text(own(raw, "title")),
    id: text(own(raw, "id")),
    parent: text(own(raw, "parent_id")),
    pending: status === "pending",
    done: status === "done",
    duration: typeof duration === "number" && isFinite(duration) && duration >= 0 ? duration : null,
    log: text(own(raw, "log")),
  };
}

function choices(part: Part): Choice[] {
  const raw = own(part, "options");
  const out: Choice[] = [];
  if (!Array.isArray(raw)) return out;
  for (let i = 0; i < raw.length; i++) {
    const value = text(own(raw[i], "value"));
    if (value === null) continue;
    out.push({ value, label: ownString(raw[i], "label") || value });
  }
  return out;
}

/** The part without its metadata and options: what its content box shows. */
function content(part: Part): string {
  const plain: Record<string, Json> = {};
  const keys = Object.keys(part);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== "metadata" && key !== "options") {
      plain[key] = (part as unknown as Record<string, Json>)[key] as Json;
    }
  }
  return encodeJson(plain);
}

/** "0.05 s", "1.2 s", "12 s", "2 min 5 s". */
export function seconds(value: number): string {
  if (value >= 60) {
    const whole = Math.round(value);
    return t("steps_minutes", { minutes: Math.floor(whole / 60), seconds: whole % 60 });
  }
  const digits = value < 1 ? 2 : value < 10 ? 1 : 0;
  return t("steps_seconds", { seconds: Number(value.toFixed(digits)) });
}

/** Makes `container` hold exactly `nodes`, in order, moving only what is out of place. */
function place(container: HTMLElement, nodes: readonly HTMLElement[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as HTMLElement;
    const at = container.children[i];
    if (at !== node) container.insertBefore(node, at || null);
  }
  while (container.children.length > nodes.length) container.lastElementChild?.remove();
}

export function Renderer(host: StepsHost): StepsView {
  /** The items of each answer, by its `last` box. */
  const answers = new WeakMap<HTMLElement, Item[]>();

  /** A title's markdown, inline: a lone paragraph unwrapped, links as their text. */
  function title(source: string): DocumentFragment {
    const fragment = host.markdown(source);
    const only = fragment.childNodes.length === 1 ? fragment.firstChild : null;
    if (only && only.nodeName === "P") {
      fragment.replaceChildren(...Array.from(only.childNodes));
    }
    const links = fragment.querySelectorAll("a");
    for (let i = 0; i < links.length; i++) {
      const link = links[i] as HTMLAnchorElement;
      link.replaceWith(...Array.from(link.childNodes));
    }
    return fragment;
  }

  function draw(part: Part, box: HTMLElement): void {
    if (part.type === "text") box.replaceChildren(host.text(part.text));
    else if (part.type === "html")
      box.replaceChildren(el("div", { class: "html" }, [host.html(part.html)]));
    else host.file(part, box);
  }

  function open(item: Item, value: boolean): void {
    if (!item.head || !item.kids) return;
    item.head.setAttribute("aria-expanded", String(value));
    (item.head.nextElementSibling as HTMLElement).hidden = !value;
  }

  function make(isStep: boolean): Item {
    const box = el("div", { class: "md" });
    const item: Item = {
      node: box,
      box,
      head: null,
      kids: null,
      part: null,
      body: "",
      meta: "",
      choices: "",
      replies: null,
      touched: false,
      wasPending: false,
    };
    if (!isStep) return item;
    const id = "chatbubble-step-" + ++counter;
    const head = el("button", {
      type: "button",
      class: "step-head",
      "aria-expanded": "true",
      "aria-controls": id,
    });
    const kids = el("div", { class: "step-kids" });
    const node = el("div", { class: "step" }, [
      head,
      el("div", { class: "step-body", id }, [box, kids]),
    ]);
    const step: Item = { ...item, node, head, kids };
    on(head, "click", () => {
      step.touched = true;
      open(step, head.getAttribute("aria-expanded") !== "true");
      host.follow();
    });
    return step;
  }

  function heading(item: Item, info: Meta): void {
    const head = item.head as HTMLButtonElement;
    const parts: Node[] = [
      el("span", { class: info.pending ? "step-spin" : "step-mark", "aria-hidden": "true" }),
      el("span", { class: "step-title" }, [title(info.title || "")]),
    ];
    if (info.log) parts.push(el("span", { class: "step-log" }, [info.log]));
    if (info.duration !== null) {
      parts.push(el("span", { class: "step-time" }, [seconds(info.duration)]));
    }
    if (info.pending) parts.push(el("span", { class: "sr-only" }, [" " + t("steps_in_progress")]));
    head.replaceChildren(...parts);
    item.node.classList.toggle("pending", info.pending);
    item.node.setAttribute("aria-busy", String(info.pending));
    if (!item.touched) {
      // Pending or without a status: open; done: closed once, when it gets there.
      if (!item.meta || info.pending || (info.done && item.wasPending)) open(item, !info.done);
    }
    item.wasPending = info.pending;
  }

  /** The group of preset replies under a part (made again only when they change). */
  function options(item: Item, list: readonly Choice[]): HTMLElement[] {
    const key = encodeJson(list.map((choice) => [choice.value, choice.label]));
    if (key !== item.choices) {
      item.choices = key;
      const buttons = list.map((choice) => {
        const button = el("button", { type: "button", class: "option" }, [choice.label]);
        on(button, "click", () => {
          if (!host.choose(choice.value)) return;
          for (let i = 0; i < buttons.length; i++)
            (buttons[i] as HTMLButtonElement).disabled = true;
          button.classList.add("chosen");
        });
        return button;
      });
      item.replies = buttons.length
        ? el("div", { class: "options", role: "group", "aria-label": t("steps_replies") }, buttons)
        : null;
    }
    return item.replies ? [item.replies] : [];
  }

  return {
    answer(parts, slot, last) {
      const before = answers.get(last) || [];
      const items: Item[] = [];
      /** Each part's place: the top level (null) or the index of its parent step. */
      const parents: (number | null)[] = [];
      /** Whether each part is a new object since the last frame (else nothing to redo). */
      const fresh: boolean[] = [];
      const ids: Record<string, number> = Object.create(null) as Record<string, number>;
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i] as Part;
        const info = meta(part);
        const isStep = !!info && info.title !== null;
        let item = before[i];
        if (!item || !!item.head !== isStep) item = make(isStep);
        const changed = item.part !== part;
        if (changed) {
          const body = content(part);
          if (body !== item.body) {
            item.body = body;
            draw(part, item.box);
          }
          const metaKey = info ? encodeJson(info as unknown as Json) : "";
          if (isStep && info && metaKey !== item.meta) heading(item, info);
          item.meta = metaKey;
          item.part = part;
        }
        fresh.push(changed);
        items.push(item);
        const parent = info && info.parent !== null ? ids[info.parent] : undefined;
        parents.push(parent === undefined ? null : parent);
        if (isStep && info && info.id !== null && !(info.id in ids)) ids[info.id] = i;
      }
      answers.set(last, items);

      // What each container holds: a step's nested steps, each top-level part's bubble.
      const nested: HTMLElement[][] = items.map(() => []);
      const top: HTMLElement[][] = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as Item;
        const extra = fresh[i]
          ? options(item, choices(parts[i] as Part))
          : item.replies
            ? [item.replies]
            : [];
        const parent = parents[i];
        if (parent === null || parent === undefined) top.push([item.node, ...extra]);
        else (nested[parent] as HTMLElement[]).push(item.node, ...extra);
      }
      for (let i = 0; i < items.length; i++) {
        const kids = (items[i] as Item).kids;
        if (kids) place(kids, nested[i] as HTMLElement[]);
      }
      const bubbles: HTMLElement[] = [];
      for (let i = 0; i < top.length - 1; i++) {
        let bubble = slot.children[i] as HTMLElement | undefined;
        if (!bubble) bubble = el("div", { class: "msg bot part" }, [el("div", { class: "md" })]);
        place(bubble.firstElementChild as HTMLElement, top[i] as HTMLElement[]);
        bubbles.push(bubble);
      }
      place(slot, bubbles);
      place(last, top[top.length - 1] || []);
      for (let i = 0; i < items.length; i++) {
        const box = (items[i] as Item).box;
        box.hidden = !box.childNodes.length && !!(items[i] as Item).head;
      }
      host.follow();
    },
  };
}
