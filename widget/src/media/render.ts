// Draws parts and files: images as buttons that open the viewer, audio and video players, file
// chips (name and size, a download link), galleries (a grid of thumbnails), HTML through the
// core's sanitizer and text through the core's markdown. Media URLs pass `fileUrl` or are not
// used; file names are only ever text.

import { el, on } from "../dom";
import { fileIcon } from "../icons";
import { encodeJson, type Json } from "../json";
import type { FilePart, Part } from "../parts";
import { fileUrl, humanSize } from "./file-url";
import type { MediaHost, MediaView } from "./types";
import { Viewer } from "./viewer";
import { t } from "../translate";

type Image = [FilePart, string];

/** What a bubble shows now: the part, its JSON and the node drawn for it. */
type Drawn = [Part, string, Node];

const isMedia = (part: Part): boolean => part.type === "file" || part.type === "gallery";

export function Renderer(host: MediaHost): MediaView {
  let viewer: Viewer | null = null;
  const drawn = new WeakMap<HTMLElement, Drawn[]>();

  function thumb(images: readonly Image[], index: number, cls: string): HTMLButtonElement {
    const [part, url] = images[index] as Image;
    const label = part.alt || part.name;
    const image = el("img", { src: url, alt: label });
    on(image, "load", host.follow);
    const button = el(
      "button",
      { type: "button", class: cls, "aria-label": t("media_enlarge", { name: label }) },
      [image],
    );
    on(button, "click", () => (viewer ||= Viewer(host.panel)).open(images, index, button));
    return button;
  }

  /** Chatbot(allow_file_downloads=False) puts .nodl on the panel. */
  const downloads = (): boolean => !host.panel.classList.contains("nodl");

  function chip(part: FilePart, url: string | null): HTMLElement {
    const children = [
      fileIcon(),
      el("span", { class: "chip-name" }, [part.name]),
      el("span", { class: "chip-size" }, [humanSize(part.size)]),
    ];
    // Without downloads: the name and size, no link.
    return url && downloads()
      ? el(
          "a",
          { class: "chip", href: url, download: part.name, title: t("media_download") },
          children,
        )
      : el("span", { class: "chip" }, children);
  }

  function file(part: FilePart): HTMLElement {
    const url = fileUrl(part.url, host.origin);
    if (url && part.kind === "image") return thumb([[part, url]], 0, "zoom");
    if (url && (part.kind === "audio" || part.kind === "video")) {
      const player = el(part.kind, {
        controls: true,
        preload: "metadata",
        src: url,
        "aria-label": part.name,
      });
      on(player, "loadedmetadata", host.follow);
      return el("figure", { class: "player" }, [player, chip(part, url)]);
    }
    return chip(part, url);
  }

  /** A file of an answer: an image has its download link under it, as players do. */
  function answerFile(part: FilePart): HTMLElement {
    const shown = file(part);
    const url = fileUrl(part.url, host.origin);
    return url && part.kind === "image" && downloads()
      ? el("figure", { class: "player" }, [shown, chip(part, url)])
      : shown;
  }

  function gallery(items: readonly FilePart[]): HTMLElement {
    const images: Image[] = [];
    const others: HTMLElement[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as FilePart;
      const url = fileUrl(item.url, host.origin);
      if (url && item.kind === "image") images.push([item, url]);
      else others.push(file(item));
    }
    const tiles = images.map((_, i) => thumb(images, i, "tile"));
    return el("div", { class: "gallery", role: "group", "aria-label": t("media_gallery") }, [
      ...tiles,
      ...others,
    ]);
  }

  function render(part: Part): Node {
    if (part.type === "text") return host.text(part.text);
    if (part.type === "html") return el("div", { class: "html" }, [host.html(part.html)]);
    if (part.type === "file") return answerFile(part);
    return gallery(part.items);
  }

  /** Shows `part` in `box` unless it already shows exactly that; returns what it shows. */
  function draw(box: HTMLElement, part: Part, before: Drawn | undefined): Drawn {
    const shown = before && before[2].parentNode === box ? before : undefined;
    // While an answer streams only its changed part is a new object: the others are the same
    // objects, never serialised again; a new object with the same JSON keeps its node too.
    if (shown && shown[0] === part) return shown;
    const key = encodeJson(part as unknown as Json);
    if (shown && shown[1] === key) return [part, key, shown[2]];
    const node = render(part);
    box.replaceChildren(node);
    box.parentElement?.classList.toggle("media", isMedia(part));
    return [part, key, node];
  }

  return {
    answer(parts, slot, last) {
      const earlier = drawn.get(slot) || [];
      const now: Drawn[] = [];
      for (let i = 0; i < parts.length - 1; i++) {
        let bubble = slot.children[i] as HTMLElement | undefined;
        if (!bubble) {
          bubble = el("div", { class: "msg bot part" }, [el("div", { class: "md" })]);
          slot.append(bubble);
        }
        now.push(draw(bubble.firstElementChild as HTMLElement, parts[i] as Part, earlier[i]));
      }
      while (slot.children.length > Math.max(parts.length - 1, 0)) slot.lastElementChild?.remove();
      drawn.set(slot, now);
      const final = parts[parts.length - 1];
      if (final) drawn.set(last, [draw(last, final, (drawn.get(last) || [])[0])]);
      else last.replaceChildren();
    },
    files(files) {
      return el("div", { class: "sent" }, files.map(file));
    },
  };
}
