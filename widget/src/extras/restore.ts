// Saved turns shown again, in the extras chunk: the conversation an earlier page of the site left
// (the panel's `restore`, ui/turns.ts, hands over its copy in sessionStorage, fetched by then with
// the panel: shell/shell.ts), and a conversation opened from the history. Not needed before a
// first answer, so not in the panel chunk. The turns are built here, in the panel's shape
// (types.ts `TurnOf`), and go into its array through the host.

import type { Live } from "../api";
import { fileParts, parts } from "../parts";
import type { HistoryHost, TurnBubbles, TurnOf } from "./types";

/** A saved stream id or read token of a plausible shape (the server checks it). */
const STREAM_ID = /^[\w-]{8,128}$/;

/**
 * Shows saved turns (as the panel's `save` writes them: `[user, text, status, answer id, error,
 * flag, parts, files]`, and `[stream, token, last event id]` after those for an answer still
 * streaming) at the end of the conversation, skipping items of another shape. With `resume`, a
 * last answer that was still streaming is read on from where it was left.
 */
export function fill<V extends TurnBubbles>(
  host: HistoryHost<V>,
  items: readonly unknown[],
  resume: boolean,
): void {
  const turns = host.all;
  let live: Live | null = null;
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (!Array.isArray(item)) continue;
    const [user, text, status, answerId, error, flag, saved, sent, stream] = item as unknown[];
    if (typeof user !== "string" || typeof text !== "string") continue;
    const files = fileParts(sent);
    const view = host.add(user, files);
    const turn: TurnOf<V> = {
      user,
      files,
      answer: view.answer,
      view,
      example: null,
      text,
      parts: parts(saved),
      status: status === "done" || status === "error" ? status : "stopped",
      id: typeof answerId === "string" ? answerId : null,
      error: String(error || ""),
      flag: typeof flag === "string" ? flag : "",
      live: null,
    };
    turns.push(turn);
    if (text || turn.parts) turn.answer.set(text, turn.parts);
    const [id, token, after] = Array.isArray(stream) ? (stream as unknown[]) : [];
    live =
      resume &&
      i === items.length - 1 &&
      status === "stopped" &&
      typeof id === "string" &&
      STREAM_ID.test(id) &&
      typeof token === "string" &&
      STREAM_ID.test(token) &&
      Number.isInteger(after) &&
      (after as number) >= -1
        ? { stream: id, token, after: after as number }
        : null;
    if (live) turn.status = "streaming";
    else if (turn.status === "error") turn.answer.fail(turn.error, () => host.retry(turn));
    else turn.answer.finish(turn.status as "done");
    host.decorate(turn);
  }
  for (let i = 0; i < turns.length - 1; i++) (turns[i] as TurnOf<V>).answer.dropRetry();
  if (live) host.resume(turns[turns.length - 1] as TurnOf<V>, live);
}
