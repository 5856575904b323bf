// `save_history`: every conversation kept in the visitor's localStorage under
// `chatbubble:<backend origin>:<app>:history` (newest first), and the "Chat history" side panel
// that lists them: switch, delete one, delete all (after a confirmation), "New chat", download
// the one on screen. Without `save_history` the same panel is the menu of the conversation on
// screen ("Conversation options": New chat, download, delete). Deleting the conversation on
// screen starts a new one, so it leaves sessionStorage too; nothing is kept on the server.
// Other tabs' changes arrive as `storage` events.
// Storage never breaks the widget: a corrupt value is dropped with one warning, and when the
// quota is full the oldest conversations go first and the panel says so.

import { el, guard, on } from "../dom";
import { encodeJson, own } from "../json";
import { t } from "../translate";
import { download } from "./transcript";
import type { HistoryHost, HistoryView } from "./types";

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
  const keeps = host.saved;
  const tool = (name: string, run: () => void): HTMLButtonElement => {
    const button = el("button", { type: "button", class: "act" }, [name]);
    on(button, "click", run);
    return button;
  };
  /** Download and delete, under the list; the confirmation of "Delete all" takes their place. */
  const tools = el("div", { class: "hist-tools" });
  const showTools = (): void => {
    tools.replaceChildren(
      tool(t("history_download"), () => download(host.turns(), side)),
      keeps
        ? tool(t("history_delete_all"), confirmAll)
        : tool(t("history_delete_current"), () => {
            host.fresh();
            told(t("history_deleted"));
          }),
    );
  };
  const side = el(
    "div",
    {
      class: "hist-panel",
      role: "region",
      "aria-label": t(keeps ? "history_title" : "history_menu"),
      hidden: true,
    },
    [newChat, note, items, tools],
  );
  host.panel.append(side);
  showTools();

  /** Says `text` in the panel's status line (not a warning: in the text colour). */
  function told(text: string): void {
    note.textContent = text;
    note.classList.add("done");
  }

  function confirmAll(): void {
    const cancel = tool(t("history_delete_cancel"), () => {
      showTools();
      (tools.firstChild as HTMLElement).focus();
    });
    tools.replaceChildren(
      el("p", { class: "hist-confirm" }, [t("history_delete_all_confirm")]),
      cancel,
      tool(t("history_delete_all_yes"), () => {
        write([]);
        host.fresh();
        showTools();
        render();
        told(t("history_deleted_all"));
        newChat.focus();
      }),
    );
    cancel.focus();
  }

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
        note.classList.remove("done");
        if (list.length <= 1) {
          note.textContent = t("history_full_not_saved");
          return;
        }
        list.pop();
      }
    }
    if (dropped) {
      note.classList.remove("done");
      note.textContent = t("history_full_trimmed");
    }
  }

  function render(): void {
    const list = keeps ? read() : [];
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
        told(t("history_deleted"));
        newChat.focus();
      });
      items.append(el("li", {}, [open, remove]));
    }
  }

  function toggle(show: boolean): void {
    if (show) {
      if (note.classList.contains("done")) note.textContent = "";
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
      if (!keeps || !turns.length) return;
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
