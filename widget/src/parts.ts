// Answers made of parts (the `parts` event of POST /api/chat) and the files of a visitor's
// message: their typed shapes, read from untrusted JSON (the stream, browser storage), and
// their wire form in `history` (text and HTML as strings, each file as {"file": id}).

import { own, ownString, type Json } from "./json";

export type FileKind = "image" | "audio" | "video" | "text" | "file";

/** A file the backend serves by id (an upload, or a file in an answer). */
export interface FilePart {
  readonly type: "file";
  readonly kind: FileKind;
  readonly id: string;
  /** Shown only when it is the backend's own /api/files/ URL (checked where it is used). */
  readonly url: string;
  readonly name: string;
  readonly size: number;
  readonly mime: string;
  readonly alt: string | null;
}

export type Part = (
  | { readonly type: "text"; readonly text: string }
  | FilePart
  | { readonly type: "gallery"; readonly items: readonly FilePart[] }
  | { readonly type: "html"; readonly html: string }
) &
  Extra;

/**
 * A thought or tool step's `metadata` and preset replies' `options`, kept as received (the
 * blocks chunk reads them; they survive the snapshot in storage).
 */
export interface Extra {
  readonly metadata?: Json;
  readonly options?: Json;
}

/** A part with metadata or options is drawn by the blocks chunk. */
export const hasExtra = (part: Part): boolean => !!(part.metadata || part.options);

const KINDS = ["image", "audio", "video", "text"];
const FILE_ID = /^[\w-]{16,128}$/;

/** A file part, or null when `value` has no well-formed id. */
export function filePart(value: unknown): FilePart | null {
  const id = ownString(value, "id");
  const kind = ownString(value, "kind") || "";
  const size = own(value, "size");
  if (!id || !FILE_ID.test(id)) return null;
  return {
    type: "file",
    kind: (KINDS.indexOf(kind) < 0 ? "file" : kind) as FileKind,
    id,
    url: ownString(value, "url") || "",
    name: ownString(value, "name") || "file",
    size: typeof size === "number" && size >= 0 ? size : 0,
    mime: ownString(value, "mime") || "",
    alt: ownString(value, "alt") || null,
  };
}

/** The valid file parts in `value` (an array), in order. */
export function fileParts(value: unknown): FilePart[] {
  const out: FilePart[] = [];
  const items = Array.isArray(value) ? (value as unknown[]) : [];
  for (let i = 0; i < items.length; i++) {
    const file = filePart(items[i]);
    if (file) out.push(file);
  }
  return out;
}

/** The valid parts in `value`, or null when it is not an array. */
export function parts(value: unknown): Part[] | null {
  if (!Array.isArray(value)) return null;
  const out: Part[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const type = own(item, "type");
    const text = ownString(item, type === "html" ? "html" : "text");
    let part: Part | null = null;
    if (type === "text" && text !== undefined) part = { type, text };
    else if (type === "html" && text !== undefined) part = { type, html: text };
    else if (type === "gallery") part = { type, items: fileParts(own(item, "items")) };
    else if (type === "file") part = filePart(item);
    if (!part) continue;
    // A step or preset replies: the part keeps what it came with (read by the blocks chunk).
    if (own(item, "metadata") || own(item, "options")) part = { ...(item as Part), ...part };
    out.push(part);
  }
  return out;
}

/** The answer's text parts, as Copy and the `message` event give them. */
export function textOf(answer: readonly Part[]): string {
  let out = "";
  for (let i = 0; i < answer.length; i++) {
    const part = answer[i] as Part;
    if (part.type === "text" && part.text) out += (out ? "\n\n" : "") + part.text;
  }
  return out;
}

/** The answer's messages as `history` contents, one per part (one per gallery item). */
export function contents(answer: readonly Part[]): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < answer.length; i++) {
    const part = answer[i] as Part;
    if (part.type === "text") out.push(part.text);
    else if (part.type === "html") out.push(part.html);
    else if (part.type === "file") out.push({ file: part.id });
    else for (let j = 0; j < part.items.length; j++) out.push({ file: part.items[j]!.id });
  }
  return out;
}
