// One answer bubble. While it streams, the text is re-rendered as markdown at most once per
// animation frame (plain text until markdown is ready); nothing else in the list is
// touched. An answer of parts (files, galleries, HTML, several messages) is drawn by the media
// chunk, one bubble per part: the earlier ones in `slot` before this bubble, the last one in it;
// until the chunk is here, "Loading…". Before the first words, the chatbot's `show_progress`
// says what shows: dots ("minimal"), dots and the seconds elapsed ("full"), or nothing, the
// bubble hidden ("hidden"); an answer waiting for its turn (`concurrency_limit`) says so.

import type { ChatbotOptions } from "../config";
import { el, on, report } from "../dom";
import { frameTask } from "../frame";
import type { MediaView } from "../media/types";
import { PROGRESS_KEY, type Progress } from "../progress/types";
import { hasExtra, type Part } from "../parts";
import type { Markdown } from "../render/types";
import type { StepsView } from "../steps/types";
import { t } from "../translate";
import { chunk } from "./chunks";

/** The media renderer when loaded; otherwise null, and `then` runs once it is. */
export type Rich = (then: () => void) => MediaView | null;
/** The same for the steps renderer (parts with metadata or options). */
export type Stepper = (then: () => void) => StepsView | null;

/** After a render, wait this many times its duration before the next one. */
const REST_FACTOR = 4;
/**
 * Pathological markdown (say, 50,000 "*a") can take seconds to parse. When a render is
 * expected to take longer than this, the answer is shown as plain text instead. The estimate
 * assumes the cost grows with the square of the length, from the last render that took 20 ms+
 * on a text of at least PREDICT_FROM_CHARS (shorter ones cost little; their timings are mostly
 * noise, such as a first render on a busy page).
 */
const PLAIN_TEXT_AFTER_MS = 400;
const PREDICT_FROM_CHARS = 2000;

export interface AnswerView {
  /** The answer's last bubble: its status, errors and actions go here. */
  readonly el: HTMLDivElement;
  /** Where the bubbles of an answer's earlier parts go (before `el`). */
  readonly slot: HTMLDivElement;
  /** The whole answer so far (its parts, or null for a text answer); rendered in the next frame. */
  set(text: string, parts: readonly Part[] | null): void;
  /** The stream ended: "done", or "stopped" by the visitor. */
  finish(how: "done" | "stopped"): void;
  /** Shows an error; `onRetry` adds a Retry button. */
  fail(message: string, onRetry: (() => void) | null): void;
  /** Clears the answer to stream it again. */
  restart(): void;
  /** Renders the answer again (markdown has arrived). */
  redraw(): void;
  /** Removes the Retry button (a newer message was sent). */
  dropRetry(): void;
  /** The answer as the visitor reads it (for the live region). */
  spoken(): string;
  /** The answer waits for its turn: `position` callers ahead; null once it runs. */
  wait(position: number | null): void;
}

/** The progress chunk: the seconds elapsed and the place in line (loaded when first needed). */
const progressChunk = (): Promise<Progress> => chunk<Progress>(PROGRESS_KEY);

/** What shows before the first words, as `show_progress` says; the bubble is hidden for "hidden". */
function pending(bubble: HTMLElement, progress: string): Node[] {
  const dots = el("span", { class: "typing", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]);
  bubble.hidden = progress === "hidden";
  if (progress === "full") {
    // The seconds since now, once the progress chunk is here (if the dots are still shown).
    const since = Date.now();
    progressChunk().then((x) => dots.isConnected && dots.append(x.clock(since)), report);
  }
  return progress === "hidden" ? [] : [dots];
}

export function Answer(
  onRendered: () => void,
  options: () => ChatbotOptions | null,
  rich: Rich,
  steps: Stepper,
  markdown: Markdown,
): AnswerView {
  const content = el("div", { class: "md", dir: "auto" });
  const bubble = el("div", { class: "msg bot", "aria-busy": "true" }, [content]);
  const progress = (): string => {
    const chatbot = options();
    return chatbot ? chatbot.showProgress : "minimal";
  };
  bubble.append(...pending(bubble, progress()));
  const slot = el("div", { class: "parts" });
  let waiting: HTMLElement | null = null;
  /** The place in line last said (null once the answer runs), shown once the chunk is here. */
  let queued: number | null = null;
  let text = "";
  let parts: readonly Part[] | null = null;
  let plain = false;
  let lastCost = 0;
  let lastLength = 0;
  let warm = false;
  let retry: HTMLButtonElement | null = null;

  /** The first words are here: the progress and the place in line go. */
  const begun = (): void => {
    bubble.querySelector(".typing")?.remove();
    waiting?.remove();
    queued = null;
    bubble.hidden = false;
  };

  const render = frameTask(() => {
    if (parts) {
      const view = parts.some(hasExtra) ? steps(render.schedule) : rich(render.schedule);
      begun();
      content.classList.remove("plain");
      if (view) view.answer(parts, slot, content);
      else content.replaceChildren(el("span", { class: "note" }, [t("answer_loading")]));
      onRendered();
      return;
    }
    slot.replaceChildren();
    if (
      lastCost > 20 &&
      lastLength >= PREDICT_FROM_CHARS &&
      lastCost * (text.length / lastLength) ** 2 > PLAIN_TEXT_AFTER_MS
    ) {
      plain = true;
    }
    const chatbot = options();
    if (chatbot && !chatbot.renderMarkdown) plain = true;
    const started = performance.now();
    if (text) begun();
    const rendered = plain ? null : markdown(text);
    content.classList.toggle("plain", !rendered);
    content.replaceChildren(rendered || text);
    const cost = performance.now() - started;
    if (cost > PLAIN_TEXT_AFTER_MS) plain = true;
    // Only markdown renders predict, and not the first: it runs cold (and, when markdown arrived
    // late, on a long text at once).
    lastCost = rendered && warm ? cost : 0;
    lastLength = text.length;
    warm = !!rendered;
    render.rest(cost * REST_FACTOR);
    onRendered();
  });

  const settle = (): void => {
    render.flush();
    begun();
    bubble.setAttribute("aria-busy", "false");
  };

  const note = (message: string): void => {
    bubble.append(el("p", { class: "note" }, [message]));
  };

  return {
    el: bubble,
    slot,
    set(next, list) {
      text = next;
      parts = list;
      render.schedule();
    },
    finish(how) {
      settle();
      if (how === "stopped") note(t("answer_stopped"));
      else if (!text && !(parts && parts.length)) note(t("answer_empty"));
      onRendered();
    },
    fail(message, onRetry) {
      settle();
      bubble.classList.add("failed");
      const box = el("div", { class: "error" }, [el("p", null, [message])]);
      if (onRetry) {
        retry = el("button", { type: "button", class: "retry" }, [t("answer_retry")]);
        on(retry, "click", onRetry);
        box.append(retry);
      }
      bubble.append(box);
      onRendered();
    },
    restart() {
      text = "";
      parts = null;
      slot.replaceChildren();
      plain = false;
      lastCost = 0;
      warm = false;
      retry = null;
      bubble.classList.remove("failed", "media");
      content.replaceChildren();
      bubble.replaceChildren(content, ...pending(bubble, progress()));
      bubble.setAttribute("aria-busy", "true");
      onRendered();
    },
    redraw: () => render.schedule(),
    dropRetry() {
      retry?.remove();
      retry = null;
    },
    spoken: () => (slot.textContent + " " + content.textContent).trim(),
    wait(position) {
      waiting?.remove();
      queued = position;
      if (position === null) return;
      progressChunk().then((x) => {
        if (queued !== position) return;
        waiting?.remove();
        waiting = x.place(position);
        bubble.append(waiting);
        onRendered(); // the list follows the new line as it follows the text
      }, report);
    },
  };
}
