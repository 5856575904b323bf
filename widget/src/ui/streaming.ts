// The streaming controller: the one answer that may be streaming. One visitor message makes
// exactly one POST /api/chat (its body: the message, the finished turns before it as history);
// Stop aborts it, Retry runs the last turn again, and a saved turn shown again (the extras chunk
// shows them) reads on an answer that a previous page of the site left streaming (`resume`).
// Examples and preset replies are sent from here too. Module scope, like the views and config it
// reads from state.ts (which says why); the turns are turns.ts's, the tray and the blocks
// chunks.ts's (both import from here as well), and `loadConfig` is app.ts's.

import { streamChat, type ApiError, type Live } from "../api";
import { DEFAULT_LIMITS } from "../config";
import { chatBody, charCount, type Exchange } from "../conversation";
import { report } from "../dom";
import { encodeJson, own, parseJson, type Json } from "../json";
import { contents, type FilePart } from "../parts";
import { loadConfig } from "./app";
import { blocks, refill, showOutputs, tray } from "./chunks";
import { ask, consented } from "./consent";
import { composer, config, events, host, isOpen, life, list, widget } from "./state";
import { conversation, decorate, save, shown, turns, type Turn } from "./turns";
import { t } from "../translate";

/** The answer of `turn` as history contents. */
export const reply = (turn: Turn): Json[] => (turn.parts ? contents(turn.parts) : [turn.text]);

const ids = (files: readonly FilePart[]): string[] => files.map((file) => file.id);

/** The request of the answer streaming, if one is. */
export let streaming: AbortController | null = null;

/** The finished turns before `turn` (all of them without one). */
function earlier(turn?: Turn): Exchange[] {
  const out: Exchange[] = [];
  for (let i = 0; i < turns.length && turns[i] !== turn; i++) {
    const done = turns[i] as Turn;
    const answer = reply(done).filter((content) => content !== "");
    if ((done.status === "done" || done.status === "stopped") && answer.length) {
      out.push({ user: done.user, files: ids(done.files), answer });
    }
  }
  return out;
}

/** The conversation as a chat request's history (an event's chatbot input). */
export const history = (): Json =>
  own(
    parseJson(chatBody("", earlier(), config ? config.limits : DEFAULT_LIMITS)),
    "history",
  ) as Json;

/** The chat request body for `turn`: the finished turns before it as history. */
export function bodyOf(turn: Turn): string {
  const message: Json =
    config && config.multimodal ? { text: turn.user, files: ids(turn.files) } : turn.user;
  const values = blocks && blocks.values(turn.example);
  const limits = config ? config.limits : DEFAULT_LIMITS;
  return chatBody(
    message,
    earlier(turn),
    limits,
    turn.example,
    values,
    host.aboutPage(),
    conversation(),
  );
}

/** Sends the visitor's message with `files` (by default, the tray's uploaded files). */
export function send(
  raw: string,
  exampleIndex: number | null,
  sent?: readonly FilePart[],
): boolean {
  const message = exampleIndex === null ? raw.trim() : raw;
  const files = sent || (tray && exampleIndex === null ? tray.ready() : []);
  if (!files) {
    composer.notice(t("composer_wait_uploads"));
    return false;
  }
  if ((!message.trim() && !files.length) || streaming) return false;
  const limits = config ? config.limits : DEFAULT_LIMITS;
  const max = Math.min(limits.maxMessageChars, (config && config.textbox.maxLength) || Infinity);
  const length = charCount(message);
  if (length > max) {
    composer.notice(t("composer_too_long", { length, max }));
    return false;
  }
  composer.notice(null);
  if (exampleIndex === null) composer.clear();
  if (tray && !sent) tray.clear();
  // After the conversation an earlier page left, once it shows (at once when it does); a
  // message sent meanwhile goes back in the composer if that conversation's answer streams on.
  shown(() => {
    if (streaming) return refill(message, files);
    for (let i = 0; i < turns.length; i++) (turns[i] as Turn).answer.dropRetry();
    const view = list.add(message, files);
    const turn: Turn = {
      user: message,
      files,
      answer: view.answer,
      view,
      example: exampleIndex,
      text: "",
      parts: null,
      status: "streaming",
      id: null,
      error: "",
      flag: "",
      live: null,
    };
    turns.push(turn);
    save();
    events.emit("message", { role: "user", content: message });
    run(turn).catch(report);
  });
  return true;
}

export function stop(): void {
  if (streaming) streaming.abort();
}

/** Stops the answer and lets it go at once (a new chat starts). */
export function halt(): void {
  stop();
  streaming = null;
  composer.setBusy(false);
}

/** The last turn refused for its identity token: the page's next new token resends it. */
let refused: Turn | null = null;
/** The turn resent with the page's new token: refused again, it waits for the visitor. */
let resent: Turn | null = null;

/**
 * Resends the refused turn once with the token the page just gave (app.ts's `identify`), after
 * the refused request has let go (a page may answer the event from inside its listener).
 */
export const resend = (): void =>
  queueMicrotask(() => refused && !life.signal.aborted && retry(refused, true));

export function retry(turn: Turn, auto?: boolean): void {
  if (streaming || turns[turns.length - 1] !== turn) return;
  refused = null;
  resent = auto ? turn : null;
  turn.text = "";
  turn.parts = null;
  turn.id = null;
  turn.status = "streaming";
  turn.answer.restart();
  run(turn).catch(report);
}

function fail(turn: Turn, error: ApiError): void {
  turn.status = "error";
  turn.error = error.message;
  turn.answer.fail(error.message, () => retry(turn));
  decorate(turn);
  const code = error.code || error.kind;
  const identity = !code.indexOf("identity_");
  refused = identity && resent !== turn ? turn : null;
  events.emit(identity ? "identify" : "error", { message: error.message, code });
}

/** Reads on the answer of `turn` (the last one) that an earlier page of the site left streaming. */
export function resume(turn: Turn, live: Live): void {
  run(turn, live).catch(report);
}

/** Streams the answer of `turn`, or with `resumed`, reads on an answer a previous page started. */
async function run(turn: Turn, resumed?: Live): Promise<void> {
  const controller = new AbortController();
  const live: Live = resumed || { stream: "", token: "", after: -1 };
  streaming = controller;
  turn.live = live;
  composer.setBusy(true);
  try {
    const loaded = config ? null : await loadConfig();
    if (controller.signal.aborted) {
      turn.status = "stopped";
      turn.answer.finish("stopped");
      return;
    }
    if (loaded && !loaded.ok) {
      fail(turn, loaded.error);
      return;
    }
    // The consent gate: nothing goes out before the visitor accepts; the message waits in the
    // composer and the question shows.
    if (!consented()) {
      turns.splice(turns.indexOf(turn), 1);
      turn.view.remove();
      refill(turn.user, turn.files);
      ask();
      return;
    }
    let outcome = await streamChat(
      widget,
      resumed ? "api/streams/" + live.stream : "api/chat",
      resumed ? encodeJson({ token: live.token, after: live.after }) : bodyOf(turn),
      controller.signal,
      live,
      {
        answer(text, pieces) {
          turn.text = text;
          turn.parts = pieces;
          turn.answer.set(text, pieces);
        },
        outputs: showOutputs,
        started: save,
        queued: turn.answer.wait,
      },
      turn.text,
      turn.parts,
    );
    turn.live = null;
    if (!turns.includes(turn)) return; // a new chat started meanwhile
    // The answer is gone (expired, another worker's) or unreachable: keep what we have.
    const refused = outcome.kind === "error" && /^(?:http|network)$/.test(outcome.error.kind);
    if (resumed && refused) outcome = { kind: "stopped" };
    if (outcome.kind === "error") fail(turn, outcome.error);
    else {
      turn.status = outcome.kind;
      if (outcome.kind === "done") turn.id = outcome.id;
      turn.answer.finish(outcome.kind);
      decorate(turn);
      const spoken = turn.answer.spoken();
      if (spoken) list.announce(spoken);
      if (!isOpen && outcome.kind === "done") host.nudge().then((x) => x.unread(), report);
      if (turn.text) events.emit("message", { role: "assistant", content: turn.text });
    }
  } finally {
    if (streaming === controller) {
      streaming = null;
      composer.setBusy(false);
    }
    save();
  }
}

/** Sends `text` as the visitor's message: the composer's Send, the blocks' preset replies. */
export const choose = (text: string): boolean => send(text, null);

/** An example clicked: sent, or put in the composer when the app does not run them on click. */
export function example(index: number): void {
  const chosen = config ? config.examples[index] : undefined;
  if (!config || !chosen) return;
  if (config.runExamplesOnClick) send(chosen.text, index, chosen.files);
  else refill(chosen.text, chosen.files);
}
