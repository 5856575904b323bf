// The blocks chunk: thoughts and tool steps (parts with `metadata`) nested by `parent_id`,
// preset replies (`options`), additional inputs, a Blocks layout around the conversation and its
// event handlers (events.ts), and
// the artifact pane of additional outputs (its highlighter is a chunk of its own, loaded on first
// use). It defines no global: its exports go to a one-shot setter on `window.chatbubble`.

import artifactsCss from "../artifacts/artifacts.css";
import { el, report } from "../dom";
import { handOver } from "../handover";
import { own } from "../json";
import inputsCss from "../inputs/inputs.css";
import { Around } from "../inputs/layout";
import { MEDIA_KEY, type Media, type MediaView } from "../media/types";
import type { Part } from "../parts";
import { Renderer } from "../steps/render";
import stepsCss from "../steps/steps.css";
import { wire, type Piece } from "./events";
import { BLOCKS_KEY, type Blocks, type BlocksHost, type BlocksView } from "./types";
import { t } from "../translate";

function blocks(host: BlocksHost): BlocksView {
  let media: Promise<MediaView> | null = null;
  /** A file or gallery part (in a step, an image output), drawn by the media chunk. */
  function file(part: Part, box: HTMLElement): void {
    box.replaceChildren(el("span", { class: "note" }, [t("answer_loading")]));
    media ||= host.load<Media>(MEDIA_KEY).then((chunk) =>
      chunk.media({
        origin: host.origin,
        panel: host.panel,
        text: host.text,
        html: host.html,
        follow: host.follow,
      }),
    );
    media.then(
      (view) => view.answer([part], el("div"), box),
      (error: unknown) => {
        media = null;
        report(error);
      },
    );
  }
  const lent = { ...host, file };
  const pieces: Record<number, Piece> = Object.create(null);
  // The layout first: it fills `pieces`, which the events are wired to.
  const view = { ...Around(lent, pieces), answer: Renderer(lent).answer };
  const events = own(host.config, "events");
  return { ...view, apply: events ? wire(host, pieces, events) : () => undefined };
}

const exports: Blocks = { css: stepsCss + inputsCss + artifactsCss, blocks };
handOver(BLOCKS_KEY, exports);
