// The parts of the widget that few visitors need, loaded on first use as chunks through the
// core's loader (GET /widget/<name>.js, into the shadow root), and markdown, set up here: media
// (answers with files), blocks (steps, inputs, layout, outputs) and uploads (the tray of a
// multimodal composer); markdown (bundled with the panel) waits for DOMPurify in browsers without
// the HTML Sanitizer API, showing texts as plain text until then. The conversation (extras) and
// the composer (recorder) load theirs with `chunk`. Module scope, like the views and config read
// from state.ts (which says why); turns.ts and streaming.ts import from here, and this imports
// back from each (`turns`, `choose` and `example`).

import { BLOCKS_KEY, type Blocks, type BlocksView } from "../blocks/types";
import type { ServerConfig } from "../config";
import { el, guard, report } from "../dom";
import { own } from "../json";
import type { FilePart } from "../parts";
import { MATH_KEY } from "../math/types";
import { MEDIA_KEY, type Media, type MediaView } from "../media/types";
import { ready, renderers as configured } from "../render";
import type { Markdown, Renderers } from "../render/types";
import { UPLOADS_KEY, type Uploads, type UploadsView } from "../uploads/types";
import { consented } from "./consent";
import { composer, config, host, life, list, panel, widget } from "./state";
import { choose, example, history } from "./streaming";
import { conversation, fresh, turns, type Turn } from "./turns";

let media: MediaView | null = null;
/** Renders waiting for the media chunk. */
let waiting: (() => void)[] = [];
/** The blocks chunk's view (steps, inputs, layout, outputs), once loaded. */
let around: Promise<BlocksView> | null = null;
export let blocks: BlocksView | null = null;
let uploads: Promise<UploadsView> | null = null;
/** The uploads chunk's tray of pending files, once loaded. */
export let tray: UploadsView | null = null;
/** The renderers once set up; until then texts show as plain text. */
let renderers: Renderers | null = null;
let rendering: Promise<void> | null = null;
export const markdown: Markdown = (source) => renderers && renderers.markdown(source);

/** The steps renderer (thoughts, tool steps, preset replies) once loaded, as `rich`. */
export function steps(then: () => void): BlocksView | null {
  if (!blocks) loadBlocks().then(then).catch(report);
  return blocks;
}

/** The core's chunk loader (shell/loader.ts): `chunk(KEY)` loads a chunk once. */
export const chunk = <T>(key: string, file?: string): Promise<T> => host.chunk<T>(key, file);

/**
 * Sets up markdown and the one sanitizer once (render/index.ts, bundled with the panel; in a
 * browser without the HTML Sanitizer API, once the purify chunk is here) and draws again what
 * was shown as plain text meanwhile: the header, the intro, the answers. If DOMPurify cannot
 * load, plain text stays (the next call tries again).
 */
export function loadRender(): Promise<void> {
  return (rendering ||= ready(chunk).then(
    guard(() => {
      renderers = configured(widget.baseUrl, widget.origin, () => config && config.raw, {
        loadMath: () => chunk(MATH_KEY),
        redraw,
      });
      redraw();
    }),
    () => {
      rendering = null;
    },
  ));
}

/** Draws again what shows text: the header, the intro, the answers. */
function redraw(): void {
  if (config) panel.setHeader(config.title, config.description);
  list.redraw();
  for (let i = 0; i < turns.length; i++) (turns[i] as Turn).answer.redraw();
}

/** Text as plain text, for the chunks (when no sanitizer could load). */
const plain = (source: string): DocumentFragment => {
  const fragment = document.createDocumentFragment();
  fragment.append(source);
  return fragment;
};
const lentMarkdown = (source: string): DocumentFragment => markdown(source) || plain(source);
const lentHtml = (source: string): DocumentFragment =>
  renderers ? renderers.html(source) : plain(source);

/** A text part as answers show it: markdown, or plain text when the app turns markdown off. */
const showText = (source: string): Node => {
  return (
    (config && !config.chatbot.renderMarkdown ? null : markdown(source)) ||
    el("div", { class: "plain" }, [source])
  );
};

/** The media renderer when loaded; otherwise starts loading it and runs `then` once it is. */
export function rich(then: () => void): MediaView | null {
  if (media) return media;
  waiting.push(then);
  // The media and blocks chunks come after markdown is ready: they draw text once, as markdown.
  loadRender()
    .then(() => chunk<Media>(MEDIA_KEY))
    .then(
      guard((value: Media) => {
        media ||= value.media({
          origin: widget.origin,
          panel: panel.el,
          text: showText,
          html: lentHtml,
          follow: list.follow,
        });
        const run = waiting;
        waiting = [];
        for (let i = 0; i < run.length; i++) guard(run[i] as () => void)();
      }),
      () => undefined,
    );
  return null;
}

/** The blocks chunk, set up once: what goes around the conversation is placed. */
export function loadBlocks(): Promise<BlocksView> {
  return (around ||= loadRender()
    .then(() => chunk<Blocks>(BLOCKS_KEY))
    .then((value) => {
      const view = value.blocks({
        config: (config as ServerConfig).raw,
        origin: widget.origin,
        panel: panel.el,
        text: showText,
        markdown: lentMarkdown,
        html: lentHtml,
        load: chunk,
        choose,
        example,
        follow: list.follow,
        widget,
        session: conversation,
        page: host.aboutPage,
        clear: fresh,
        history,
        notice: composer.notice,
        composer,
      });
      list.el.before(view.above);
      composer.el.after(view.below);
      blocks = view;
      return view;
    }));
}

/** A flag's answer: its `outputs` (`chatbot.like(fn, inputs, outputs)`) applied as an event's. */
export function applyOutputs(json: unknown): void {
  const changes = own(json, "outputs");
  if (changes) {
    loadBlocks()
      .then((view) => view.apply(changes))
      .catch(report);
  }
}

/** Shows an `outputs` event's values in the artifact pane. */
export function showOutputs(values: unknown): void {
  loadBlocks()
    .then((view) => view.outputs(values))
    .catch(report);
}

/** The pending-files tray with the buttons that fill it, from the uploads chunk (multimodal
 * apps: loaded when the panel opens). */
export function loadUploads(): Promise<UploadsView> {
  const options = config && config.multimodal;
  if (!options) return Promise.reject(new Error("chatbubble: not multimodal"));
  return (uploads ||= chunk<Uploads>(UPLOADS_KEY).then(
    (value) =>
      (tray = value.uploads({
        widget,
        options,
        composer: composer.el,
        input: composer.input,
        panel: panel.el,
        notice: composer.notice,
        block: composer.block,
        allowed: consented,
        load: chunk,
        life,
      })),
    (error) => {
      uploads = null;
      throw error;
    },
  ));
}

/** Puts a message back in the composer: its text, and its files in the tray. */
export function refill(text: string, files: readonly FilePart[]): void {
  composer.fill(text);
  if (files.length)
    loadUploads().then(
      guard((view: UploadsView) => view.put(files)),
      report,
    );
}
