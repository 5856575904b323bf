// "Download conversation": the conversation on screen as a Markdown file (`chat-<date>.md`),
// made in the browser from its turns as the core saves them (turns.ts `snapshot`) and handed to
// the browser as a Blob download. Files are listed by name, linked to their URL.

import { el } from "../dom";
import { fileParts, parts, type FilePart } from "../parts";
import { t } from "../translate";

/** `[name](url)`, the name's brackets escaped; the name alone without a URL. */
const link = (file: FilePart): string => {
  const name = file.name.replace(/[[\]\\]/g, "\\$&");
  return file.url ? `[${name}](<${file.url}>)` : name;
};

/** The Markdown of saved turns: `**You:** ...`, `**Assistant:** ...`, files as links. */
export function transcript(turns: readonly unknown[]): string {
  const out: string[] = [];
  for (let i = 0; i < turns.length; i++) {
    const item: unknown = turns[i];
    if (!Array.isArray(item)) continue;
    const [user, text, status, , error, , saved, sent] = item as unknown[];
    const files = fileParts(sent).map(link);
    out.push(`**${t("history_download_you")}:** ` + [user, ...files].filter(Boolean).join("\n\n"));
    const answer: string[] = [String(status === "error" ? error || "" : text || "")];
    for (const part of parts(saved) || []) {
      if (part.type === "file") answer.push(link(part));
      else if (part.type === "gallery") answer.push(...part.items.map(link));
    }
    out.push(`**${t("history_download_assistant")}:** ` + answer.filter(Boolean).join("\n\n"));
  }
  return out.join("\n\n") + "\n";
}

/** Hands `turns` to the browser as `chat-<YYYY-MM-DD>.md`; the link goes in `into` a moment. */
export function download(turns: readonly unknown[], into: HTMLElement): void {
  const url = URL.createObjectURL(
    new Blob([transcript(turns)], { type: "text/markdown;charset=utf-8" }),
  );
  const day = new Date();
  const pad = (n: number): string => String(n).padStart(2, "0");
  const name = `chat-${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}.md`;
  const anchor = el("a", { href: url, download: name, hidden: true });
  into.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has started from the URL by then; a late revoke only frees memory.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
