// The event handlers of a Blocks app (`button.click(fn, inputs, outputs)`, `.submit`, `.change`,
// `demo.load`, `.then` chains), from the config's `events`: each trigger in the layout calls its
// handler on the server (POST /api/event, through api.ts) with its inputs' current values, and
// applies the outputs' new props as they stream back. The server names handlers and components
// by index; all of it is read as untrusted JSON.

import { runEvent } from "../api";
import type { WidgetConfig } from "../config";
import { guard, on, report } from "../dom";
import { encodeJson, own, type Json } from "../json";

/** A component of the layout that events can read and set. */
export interface Piece {
  readonly node: HTMLElement;
  get(): Json;
  set(value: unknown): void;
}

/** What the core lends the events. */
export interface EventsHost {
  readonly widget: WidgetConfig;
  /** The conversation's id (the server keeps `gr.State` values per conversation). */
  session(): string;
  /** The page as requests describe it (undefined with `data-page-context="off"`). */
  page(): Json | undefined;
  /** Starts an empty conversation (an event returned [] for the chatbot). */
  clear(): void;
  /** The conversation as `/api/chat` sends it as history (the chatbot as an event's input). */
  history(): Json;
  /** Shows a short notice above the composer (an event's error), or hides it with null. */
  notice(message: string | null): void;
  /** The composer (the chat's `textbox`), which events may read and fill. */
  readonly composer: { readonly el: HTMLElement; fill(text: string): void };
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
const ids = (value: unknown): number[] =>
  list(value).filter((id): id is number => typeof id === "number");

/** DOM events for Gradio's listeners (`change` also fires when an event sets a new value). */
const DOM: Record<string, keyof HTMLElementEventMap> = {
  click: "click",
  change: "change",
  input: "input",
  focus: "focusin",
  blur: "focusout",
  release: "change",
  select: "change",
};

/** Wires the handlers; returns how outputs' props are applied (a `chatbot.like` fn's too). */
export function wire(
  host: EventsHost,
  pieces: Record<number, Piece>,
  config: unknown,
): (outputs: unknown) => void {
  const handlers = list(own(config, "handlers"));
  const chatbot = own(config, "chatbot");
  const textbox = own(config, "textbox");
  const typed = host.composer.el.querySelector("textarea");
  if (typeof textbox === "number" && typed) {
    pieces[textbox] = {
      node: typed,
      get: () => typed.value,
      set: (value) => host.composer.fill(typeof value === "string" ? value : ""),
    };
  }
  /** The `change` handlers of each component. */
  const changes: Record<number, number[]> = Object.create(null);
  /** An event's error is in the notice (the next event the visitor starts takes it away). */
  let failed = false;

  function apply(outputs: unknown): void {
    const items = list(outputs);
    for (let i = 0; i < items.length; i++) {
      const [id, props] = list(items[i]);
      if (typeof id !== "number") continue;
      const value = own(props, "value");
      if (id === chatbot) {
        if (Array.isArray(value) && !value.length) host.clear();
        continue;
      }
      const piece = pieces[id];
      if (!piece) continue;
      const node = piece.node;
      if (value !== undefined) {
        const before = encodeJson(piece.get());
        piece.set(value);
        if (encodeJson(piece.get()) !== before) {
          const then = changes[id] || [];
          for (let j = 0; j < then.length; j++) run(then[j] as number, true);
        }
      }
      const visible = own(props, "visible");
      if (typeof visible === "boolean") node.hidden = !visible;
      const interactive = own(props, "interactive");
      if (typeof interactive === "boolean") {
        const fields = [node, ...Array.from(node.querySelectorAll("input,select,textarea,button"))];
        for (let j = 0; j < fields.length; j++) {
          if ("disabled" in (fields[j] as HTMLInputElement)) {
            (fields[j] as HTMLInputElement).disabled = !interactive;
          }
        }
      }
      const placeholder = own(props, "placeholder");
      const field = node.querySelector("input[type=text],textarea");
      if (typeof placeholder === "string" && field) field.setAttribute("placeholder", placeholder);
      const label = own(props, "label");
      const caption = node.querySelector(".in-label");
      if (typeof label === "string" && caption) caption.textContent = label;
    }
  }

  function run(index: number, chained = false): void {
    const handler = handlers[index];
    if (failed && !chained) {
      failed = false;
      host.notice(null);
    }
    const outputs = ids(own(handler, "outputs"));
    const values = ids(own(handler, "inputs")).map((id) =>
      id === chatbot ? host.history() : pieces[id] ? pieces[id].get() : null,
    );
    const busy = own(handler, "progress") === "hidden" ? [] : outputs.map((id) => pieces[id]);
    for (let i = 0; i < busy.length; i++) busy[i]?.node.classList.add("busy");
    const body = encodeJson({
      handler: index,
      values,
      session: host.session(),
      page: host.page() ?? null,
    });
    runEvent(host.widget, body, guard(apply))
      .then((error) => {
        for (let i = 0; i < busy.length; i++) busy[i]?.node.classList.remove("busy");
        if (error) {
          failed = true;
          host.notice(error.message);
        }
        for (let j = 0; j < handlers.length; j++) {
          const [after, kind] = list(own(handlers[j], "after"));
          if (after === index && (kind === "then" || (kind === "failure") === !!error)) {
            run(j, true);
          }
        }
      })
      .catch(report);
  }

  for (let index = 0; index < handlers.length; index++) {
    const triggers = list(own(handlers[index], "on"));
    for (let i = 0; i < triggers.length; i++) {
      const [id, name] = list(triggers[i]);
      const piece = typeof id === "number" ? pieces[id] : undefined;
      if (!piece || typeof name !== "string") continue;
      if (name === "change") (changes[id as number] ||= []).push(index);
      if (name === "submit") {
        on(piece.node, "keydown", (event) => {
          if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
          event.preventDefault();
          run(index);
        });
      } else if (DOM[name]) {
        on(piece.node, DOM[name] as "click", () => run(index));
      }
    }
  }
  for (let index = 0; index < handlers.length; index++) {
    if (own(handlers[index], "load") === true) run(index);
  }
  return apply;
}
