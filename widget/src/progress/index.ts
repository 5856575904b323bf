// The progress chunk: an answer's seconds since its message was sent (`show_progress="full"`)
// and its place in line while it waits for its turn (`concurrency_limit`). It defines no global:
// its exports go to a one-shot setter on `window.chatbubble`.

import { el } from "../dom";
import { handOver } from "../handover";
import { t } from "../translate";
import css from "./progress.css";
import { PROGRESS_KEY, type Progress } from "./types";

function clock(since: number): HTMLElement {
  const shown = el("span");
  const tick = (): void => {
    if (!shown.isConnected && Date.now() - since > 999) clearInterval(timer);
    shown.textContent = t("steps_seconds", { seconds: Math.floor((Date.now() - since) / 1000) });
  };
  const timer = setInterval(tick, 1000);
  tick();
  return shown;
}

const place = (position: number): HTMLElement =>
  el("p", { class: "note" }, [
    position ? t("answer_queue_ahead", { count: position }) : t("answer_queue_next"),
  ]);

handOver(PROGRESS_KEY, { css, clock, place } satisfies Progress);
