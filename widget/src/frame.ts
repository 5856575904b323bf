// Coalesces many update requests into at most one run per animation frame.
//
// Background tabs pause requestAnimationFrame, so a timer races it: whichever fires first runs
// the task and cancels the other, and a hidden tab still finishes rendering its answer.
// A task that took long can `rest`: its next run waits, so slow work never saturates the page.

import { guard } from "./dom";

const HIDDEN_TAB_DELAY_MS = 100;

export interface FrameTask {
  /** Runs the task in the next frame unless a run is already scheduled. */
  schedule(): void;
  /** Runs the task now if a run is scheduled. */
  flush(): void;
  /** Delays scheduled runs until `ms` from now. */
  rest(ms: number): void;
}

export function frameTask(run: () => void): FrameTask {
  let frame = 0;
  let timer = 0;
  let restUntil = 0;
  const safeRun = guard(run);

  function fire(): void {
    if (!frame && !timer) return;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = 0;
    timer = 0;
    safeRun();
  }

  return {
    schedule() {
      if (frame || timer) return;
      const wait = restUntil - performance.now();
      if (wait > 0) {
        timer = window.setTimeout(fire, wait);
        return;
      }
      if (document.visibilityState !== "hidden") frame = requestAnimationFrame(fire);
      timer = window.setTimeout(fire, frame ? HIDDEN_TAB_DELAY_MS * 2 : HIDDEN_TAB_DELAY_MS);
    },
    flush: fire,
    rest(ms) {
      restUntil = performance.now() + ms;
    },
  };
}
