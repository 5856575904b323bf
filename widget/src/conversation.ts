// The conversation as data: finished turns become the `history` of the next request, trimmed
// to the server's limits (oldest turns go first).

import type { Limits } from "./config";
import { encodeJson } from "./json";

export interface Exchange {
  readonly user: string;
  readonly assistant: string;
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

function entry(role: "user" | "assistant", content: string, max: number): string {
  return encodeJson({ role, content: clip(content, max) });
}

/**
 * The JSON body of `POST /api/chat`. History keeps the newest exchanges that fit both
 * `maxHistoryMessages` and `maxBodyBytes`; whole exchanges are dropped, oldest first. Entries
 * over `maxHistoryEntryChars` are clipped to it. A click on an example sends its `example` index.
 */
export function chatBody(
  message: string,
  earlier: readonly Exchange[],
  limits: Limits,
  example: number | null = null,
): string {
  const tagged = example === null ? "" : ',"example":' + example;
  const head = '{"message":' + encodeJson(message) + tagged + ',"history":[';
  const tail = "]}";
  const pairs: string[] = [];
  const sizes: number[] = [];
  // Each pair is counted with the comma before the next one; the last has none.
  let total = byteLength(head) + byteLength(tail) - 1;
  for (let i = 0; i < earlier.length; i++) {
    const exchange = earlier[i] as Exchange;
    const max = limits.maxHistoryEntryChars;
    const pair =
      entry("user", exchange.user, max) + "," + entry("assistant", exchange.assistant, max);
    pairs.push(pair);
    sizes.push(byteLength(pair) + 1);
    total += byteLength(pair) + 1;
  }
  const maxPairs = Math.floor(limits.maxHistoryMessages / 2);
  let first = 0;
  while (first < pairs.length && (pairs.length - first > maxPairs || total > limits.maxBodyBytes)) {
    total -= sizes[first] as number;
    first++;
  }
  let history = "";
  for (let i = first; i < pairs.length; i++) history += (i > first ? "," : "") + pairs[i];
  return head + history + tail;
}
