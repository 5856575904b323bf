// `save_history`: every conversation kept in the visitor's localStorage under
// `chatbubble:<backend origin>:<app>:history` (newest first), and the "Chat history" side panel
// that lists them: switch, delete, "New chat". Other tabs' changes arrive as `storage` events.
// Storage never breaks the widget: a corrupt value is dropped with one warning, and when the
// quota is full the oldest conversations go first and the panel says so.

import { el, guard, on } from "../dom";
import { encodeJson, own } from "../json";
import type { HistoryHost, HistoryView } from "./types";
import { t } from "../translate";

/** One saved conversation: its id, when it last changed, its turns as the core keeps them. */
interface Saved {
  readonly c: string;
  readonly u: number;
  readonly t: readonly unknown[];
}

const TITLE_CHARS = 40;

function title(saved: Saved): string {
  const first: unknown = saved.t[0];
  const text = String((Array.isArray(first) && first[0]) || "").trim() || t("history_untitled");
  const chars = Array.from(text);
  return chars.length > TITLE_CHARS ? chars.slice(0, TITLE_CHARS - 1).join("") + "\u2026" : text;
}

function valid(item: unknown): item is Saved {
  const id = own(item, "c");
  return typeof id === "string" && id !== "" && Array.isArray(own(item, "t"));
}

export function history(host: HistoryHost): HistoryView {
  const key = host.store + ":history";
  const newChat = el("button", { type: "button", class: "act" }, [t("history_new")]);
  const note = el("p", { class: "hist-note", role: "status" });
  const items = el("ul", { class: "hist-list" });
  const side = el(
    "div",
    { class: "hist-panel", role: "region", "aria-label": t("history_title"), hidden: true },
    [newChat, note, items],
  );
  host.panel.append(side);

  /** The saved conversations, newest first; [] when there are none or storage is unreadable. */
  function read(): Saved[] {
    let raw: string | null = null;
    try {
      raw = localStorage.getItem(key);
    } catch {
      return [];
    }
    if (!raw) return [];
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // reported below, with the other unusable values
    }
    if (Array.isArray(parsed) && parsed.every(valid)) return parsed as Saved[];
    console.warn("chatbubble storage: discarded a corrupt chat history");
    try {
      localStorage.removeItem(key);
    } catch {
      // nothing more to do
    }
    return [];
  }

  /** Writes `list` (newest first), dropping the oldest conversations while the quota is full. */
  function write(list: Saved[]): void {
    let dropped = false;
    for (;;) {
      try {
        if (list.length) localStorage.setItem(key, encodeJson(list as never));
        else localStorage.removeItem(key);
        break;
      } catch (error) {
        const full = error instanceof DOMException && error.name === "QuotaExceededError";
        if (!full) return;
        dropped = true;
        if (list.length <= 1) {
          note.textContent = t("history_full_not_saved");
          return;
        }
        list.pop();
      }
    }
    if (dropped) {
      note.textContent = t("history_full_trimmed");
    }
  }

  function render(): void {
    const list = read();
    const current = host.current();
    items.replaceChildren();
    for (let i = 0; i < list.length; i++) {
      const saved = list[i] as Saved;
      const name = title(saved);
      const open = el("button", { type: "button", class: "hist-item", title: name }, [name]);
      if (saved.c === current) open.setAttribute("aria-current", "true");
      on(open, "click", () => {
        const fresh = read().find((item) => item.c === saved.c);
        if (fresh) host.load(fresh.c, fresh.t);
        toggle(false);
      });
      const remove = el("button", {
        type: "button",
        class: "hist-delete",
        "aria-label": t("history_delete_named", { name }),
        title: t("history_delete"),
      });
      remove.textContent = "\u00d7";
      on(remove, "click", () => {
        write(read().filter((item) => item.c !== saved.c));
        if (saved.c === host.current()) host.fresh();
        render();
      });
      items.append(el("li", {}, [open, remove]));
    }
  }

  function toggle(show: boolean): void {
    if (show) {
      const header = host.panel.firstElementChild as HTMLElement | null;
      side.style.top = (header ? header.offsetHeight : 0) + "px";
      render();
    }
    side.hidden = !show;
    host.button.setAttribute("aria-expanded", String(show));
    if (show) newChat.focus();
  }

  on(newChat, "click", () => {
    host.fresh();
    toggle(false);
  });
  window.addEventListener(
    "storage",
    guard((event: StorageEvent) => {
      if (event.key === key || event.key === null) render();
    }),
  );

  return {
    save(id, turns) {
      if (!turns.length) return;
      const list = read();
      const at = list.findIndex((item) => item.c === id);
      const text = encodeJson(turns as never);
      if (at >= 0 && encodeJson((list[at] as Saved).t as never) === text) return;
      if (at >= 0) list.splice(at, 1);
      list.unshift({ c: id, u: Date.now(), t: turns });
      write(list);
      if (!side.hidden) render();
    },
    toggle: () => toggle(!!side.hidden),
  };
}
