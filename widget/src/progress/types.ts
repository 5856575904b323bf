// The contract between the core widget and the progress chunk (widget/src/progress/index.ts →
// backend/static/chunks/progress.js): what an answer shows before its first words beyond the
// dots: the seconds since the message was sent (`show_progress="full"`) and its place in line
// (`concurrency_limit`). Loaded by ui/answer.ts when an answer first needs one of them; until it
// is here the dots show alone.

export const PROGRESS_KEY = "chatbubble.progress";

export interface Progress {
  readonly css: string;
  /** The seconds since `since` (a `Date.now()`), said again every second while it is shown. */
  clock(since: number): HTMLElement;
  /** The answer waits for its turn: `position` callers ahead (0: it is next). */
  place(position: number): HTMLElement;
}
