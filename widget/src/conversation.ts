// The conversation as data: finished turns become the `history` of the next request, trimmed
// to the server's limits (oldest turns go first).

import type { Limits } from "./config";
import { encodeJson, type Json } from "./json";

/** One finished turn: the visitor's text and file ids, the answer's messages (wire form). */
export interface Exchange {
  readonly user: string;
  readonly files: readonly string[];
  readonly answer: readonly Json[];
}

const encoder = new TextEncoder();

function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Length in code points, as the server counts characters. */
export function charCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff) count++;
    else if (i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      count++;
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    } else count++;
  }
  return count;
}

/** `text` cut to its first `max` code points (an answer longer than the server accepts). */
export function clip(text: string, max: number): string {
  if (text.length <= max || charCount(text) <= max) return text;
  let end = 0;
  for (let kept = 0; kept < max && end < text.length; kept++) {
    const code = text.charCodeAt(end);
    end += code >= 0xd800 && code <= 0xdbff && end + 1 < text.length ? 2 : 1;
  }
  return text.slice(0, end);
}

/**
 * A visitor's message as the messages of a conversation (as the server counts and signs them):
 * its files as `{"file": id}` messages, then its text unless it is empty.
 */
export function userMessages(text: string, files: readonly string[]): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < files.length; i++) out.push({ file: files[i] as string });
  if (text) out.push(text);
  return out;
}

function entry(role: "user" | "assistant", content: Json, max: number): string {
  return encodeJson({ role, content: typeof content === "string" ? clip(content, max) : content });
}

/**
 * The JSON body of `POST /api/chat`. Each exchange becomes its files (user messages
 * `{"file": id}`), the visitor's text (when not empty) and the answer's messages. History keeps
 * the newest exchanges that fit both `maxHistoryMessages` and `maxBodyBytes`; whole exchanges
 * are dropped, oldest first. Texts over `maxHistoryEntryChars` are clipped to it. A click on an
 * example sends its `example` index; `inputs` are the additional inputs' values. `message` is a
 * string, or `{text, files}` (multimodal). The answer is `resumable`: another page can read it on.
 * `page` (the page's URL, title, language, referrer and values: page-context.ts; none with
 * `data-page-context="off"`) and `session` (the conversation id) become the chat function's
 * `gr.Request`.
 */
export function chatBody(
  message: Json,
  earlier: readonly Exchange[],
  limits: Limits,
  example: number | null = null,
  inputs?: Json | null,
  page?: Json,
  session = "",
): string {
  let tagged = example === null ? "" : ',"example":' + example;
  if (inputs) tagged += ',"inputs":' + encodeJson(inputs);
  if (page) tagged += ',"page":' + encodeJson(page);
  if (session) tagged += ',"session":' + encodeJson(session);
  const head = '{"message":' + encodeJson(message) + tagged + ',"resumable":true,"history":[';
  const tail = "]}";
  const groups: string[] = [];
  const sizes: number[] = [];
  const counts: number[] = [];
  const max = limits.maxHistoryEntryChars;
  // Each group is counted with the comma before the next one; the last has none.
  let total = byteLength(head) + byteLength(tail) - 1;
  let count = 0;
  for (let i = 0; i < earlier.length; i++) {
    const { user, files, answer } = earlier[i] as Exchange;
    let group = "";
    let n = 0;
    const add = (role: "user" | "assistant", content: Json): void => {
      group += (n++ ? "," : "") + entry(role, content, max);
    };
    const mine = userMessages(user, files);
    for (let j = 0; j < mine.length; j++) add("user", mine[j] as Json);
    for (let j = 0; j < answer.length; j++) add("assistant", answer[j] as Json);
    groups.push(group);
    sizes.push(byteLength(group) + 1);
    counts.push(n);
    total += byteLength(group) + 1;
    count += n;
  }
  let first = 0;
  while (
    first < groups.length &&
    (count > limits.maxHistoryMessages || total > limits.maxBodyBytes)
  ) {
    total -= sizes[first] as number;
    count -= counts[first] as number;
    first++;
  }
  let history = "";
  for (let i = first; i < groups.length; i++) history += (i > first ? "," : "") + groups[i];
  return head + history + tail;
}
