// The uploads chunk: the tray of files attached to the next message and the ways files reach it
// (tools.ts: attach, record, paste, drop), loaded by the panel (ui/chunks.ts `loadUploads`) when
// a multimodal app's panel opens. Each file is checked against the app's rules and uploaded at
// once (POST /api/upload) with a progress bar; Send waits until every upload is done. It defines
// no global: its exports go to a one-shot setter on `window.chatbubble`.

import { upload } from "../api";
import { el, on, report } from "../dom";
import { handOver } from "../handover";
import { fileUrl, humanSize } from "../media/file-url";
import type { FilePart } from "../parts";
import { refusal } from "./rules";
import { tools } from "./tools";
import { UPLOADS_KEY, type Uploads, type UploadsHost, type UploadsView } from "./types";
import css from "./uploads.css";
import { t } from "../translate";

const noop = (): void => undefined;

interface Pending {
  readonly item: HTMLLIElement;
  /** Cancels the upload (a no-op once it is done, or for a file uploaded before). */
  readonly abort: () => void;
  part: FilePart | null;
}

function tray(host: UploadsHost): UploadsView {
  const list = el("ul", { class: "tray", "aria-label": t("upload_tray") });
  list.hidden = true;
  host.composer.insertBefore(list, host.composer.lastElementChild);
  let pending: Pending[] = [];

  const update = (): void => {
    list.hidden = !pending.length;
    host.composer.classList.toggle("has-files", !!pending.length);
    host.block(pending.some((entry) => !entry.part));
  };

  const drop = (entry: Pending): void => {
    pending = pending.filter((other) => other !== entry);
    entry.abort();
    entry.item.remove();
    update();
  };

  /** A tray item for `name` (of `size` bytes): its remove button drops `entry`. */
  function item(name: string, size: number, extra: Node[]): [HTMLLIElement, HTMLButtonElement] {
    const remove = el(
      "button",
      {
        type: "button",
        class: "tray-remove",
        "aria-label": t("upload_remove_named", { name }),
        title: t("upload_remove"),
      },
      ["\u00d7"],
    );
    const li = el("li", { class: "tray-item" }, [
      el("span", { class: "tray-name" }, [name]),
      el("span", { class: "tray-size" }, [humanSize(size)]),
      ...extra,
      remove,
    ]);
    list.append(li);
    return [li, remove];
  }

  function track(entry: Pending, remove: HTMLButtonElement): void {
    on(remove, "click", () => {
      drop(entry);
      host.notice(null);
    });
    pending.push(entry);
    update();
  }

  /** Shows an uploaded file: a thumbnail for images. */
  function done(entry: Pending, part: FilePart): void {
    entry.part = part;
    const url = fileUrl(part.url, host.widget.origin);
    if (url && part.kind === "image") {
      entry.item.prepend(el("img", { class: "tray-thumb", src: url, alt: "" }));
    }
    update();
  }

  function start(file: File): void {
    const name = file.name || "file";
    const bar = el("progress", {
      max: "1",
      value: "0",
      "aria-label": t("upload_progress", { name }),
    });
    const [li, remove] = item(name, file.size, [bar]);
    const request = upload(host.widget, file, name, (fraction) => (bar.value = fraction));
    const entry: Pending = { item: li, abort: request.abort, part: null };
    track(entry, remove);
    request.done.then((result) => {
      if (pending.indexOf(entry) < 0) return;
      if (!result.ok) {
        drop(entry);
        host.notice(t("upload_failed", { name, reason: result.error.message }));
        return;
      }
      bar.remove();
      done(entry, result.value);
    }, report);
  }

  return {
    add(files) {
      host.notice(null);
      const max = host.options.maxFiles;
      for (let i = 0; i < files.length; i++) {
        const file = files[i] as File;
        const refused = refusal(file, host.options);
        if (refused) {
          host.notice(refused);
          continue;
        }
        // One file per message ("single"): a new one replaces the old.
        if (max === 1 && pending.length) drop(pending[0] as Pending);
        if (pending.length >= max) {
          host.notice(t("upload_too_many", { count: max }));
          break;
        }
        start(file);
      }
    },
    put(files) {
      for (let i = 0; i < files.length && pending.length < host.options.maxFiles; i++) {
        const part = files[i] as FilePart;
        const [li, remove] = item(part.name, part.size, []);
        const entry: Pending = { item: li, abort: noop, part };
        track(entry, remove);
        done(entry, part);
      }
    },
    ready() {
      const parts: FilePart[] = [];
      for (let i = 0; i < pending.length; i++) {
        const part = (pending[i] as Pending).part;
        if (!part) return null;
        parts.push(part);
      }
      return parts;
    },
    clear() {
      pending = [];
      list.replaceChildren();
      update();
    },
  };
}

const exports: Uploads = {
  css,
  uploads(host) {
    const view = tray(host);
    tools(host, view);
    return view;
  },
};
handOver(UPLOADS_KEY, exports);
