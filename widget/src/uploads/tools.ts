// The ways files reach the tray of a multimodal app: "Attach files" (a file picker) and "Record
// audio" (the recorder chunk, loaded on its first click) as icon buttons before the composer's
// textarea, files pasted into the textarea, and files dropped on the panel, with a hint while
// they are dragged over it. Nothing is attached before the visitor has accepted the consent
// question, when one is asked (`allowed`).

import { el, guard, on } from "../dom";
import { clipIcon, micIcon } from "../icons";
import { RECORDER_KEY, type Recorder } from "../recorder/types";
import { t } from "../translate";
import type { UploadsHost, UploadsView } from "./types";

/** The picker's `accept` for `file_types` ("image" → "image/*", extensions as they are). */
function accept(types: readonly string[] | null): string {
  return types
    ? types.map((type) => (/^(image|audio|video|text)$/.test(type) ? type + "/*" : type)).join(",")
    : "";
}

/** A small icon button before the textarea. */
function tool(name: string, icon: SVGSVGElement): HTMLButtonElement {
  return el("button", { type: "button", class: "tool", "aria-label": name, title: name }, [icon]);
}

/** Adds the buttons and listeners that put files in `tray`, as the app's sources allow. */
export function tools(host: UploadsHost, tray: UploadsView): void {
  const { options, input } = host;
  const uploads = options.sources.indexOf("upload") >= 0;
  const attach = (files: FileList | null): void => {
    if (files && files.length && host.allowed()) tray.add(Array.from(files));
  };
  // Before the textarea, in this order: attach, record, then the hidden picker.
  const tools: HTMLElement[] = [];
  const picker = el("input", { type: "file", hidden: true, tabindex: "-1" });
  if (uploads) {
    const button = tool(t("composer_attach"), clipIcon());
    picker.accept = accept(options.fileTypes);
    picker.multiple = options.maxFiles > 1;
    on(button, "click", () => picker.click());
    on(picker, "change", () => {
      attach(picker.files);
      picker.value = "";
    });
    on(input, "paste", (event) => {
      const files = event.clipboardData && event.clipboardData.files;
      if (!files || !files.length) return;
      event.preventDefault();
      attach(files);
    });
    tools.push(button);
    drops(host, attach);
  }
  if (options.sources.indexOf("microphone") >= 0 && typeof MediaRecorder === "function") {
    const button = tool(t("composer_record"), micIcon());
    on(button, "click", () => {
      if (!host.allowed()) return;
      host.load<Recorder>(RECORDER_KEY).then(
        guard((recorder: Recorder) =>
          recorder.record({
            button,
            notice: host.notice,
            done: (file) => tray.add([file]),
            life: host.life,
          }),
        ),
        () => host.notice(t("composer_files_unavailable")),
      );
    });
    tools.push(button);
  }
  if (uploads) tools.push(picker);
  input.before(...tools);
}

/** Files dropped on the panel are attached; while they are dragged over it, a hint says so. */
function drops(host: UploadsHost, attach: (files: FileList | null) => void): void {
  const panel = host.panel;
  let timer = 0;
  const carriesFiles = (event: DragEvent): boolean => {
    const types = event.dataTransfer ? event.dataTransfer.types : [];
    if (!host.allowed() || Array.prototype.indexOf.call(types, "Files") < 0) return false;
    event.preventDefault();
    clearTimeout(timer);
    return true;
  };
  on(panel, "dragover", (event) => {
    if (!carriesFiles(event)) return;
    // In the words of the locale in use when the drag comes (uploads.css shows it).
    panel.setAttribute("data-drop", t("composer_drop"));
    panel.classList.add("dropping");
    timer = window.setTimeout(() => panel.classList.remove("dropping"), 300);
  });
  on(panel, "drop", (event) => {
    if (!carriesFiles(event)) return;
    panel.classList.remove("dropping");
    attach(event.dataTransfer && event.dataTransfer.files);
  });
}
