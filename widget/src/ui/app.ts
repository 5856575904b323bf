// The widget's view wiring: the launcher, the panel with the message list and the composer,
// open/closed, the server's config (/api/config) and the look (theme mode and palette
// overrides). Behind the views are two factories created here: the chunks (chunks.ts: the parts
// of the widget few visitors need, loaded on first use) and the conversation (turns.ts, with its
// streaming controller in streaming.ts).

import { fetchConfig, type Result } from "../api";
import { palette, type Palette, type ServerConfig, type WidgetConfig } from "../config";
import { el, guard, on, report } from "../dom";
import type { Events } from "../events";
import { own } from "../json";
import type { PageConfig, ThemeMode } from "../page-config";
import { RECORDER_KEY, type Recorder } from "../recorder/types";
import type { Markdown } from "../render/types";
import { layoutCss, themeCss } from "../theme";
import type { UploadsView } from "../uploads/types";
import { chunked } from "./chunks";
import { Composer } from "./composer";
import { Launcher } from "./launcher";
import { MessageList } from "./messages";
import { Panel } from "./panel";
import { conversation } from "./turns";

export interface AppView {
  readonly el: HTMLDivElement;
  open(): void;
  close(): void;
  toggle(): void;
  send(text: unknown): void;
  newChat(): void;
  setTheme(theme: unknown): void;
}

const MODES: readonly string[] = ["light", "dark", "auto"];
const UNAVAILABLE = "Files can't be attached right now. Please try again.";

export function App(
  widget: WidgetConfig,
  page: PageConfig,
  events: Events,
  setSheets: (extra: readonly string[]) => void,
  hooks: Record<string, (exports: unknown) => void>,
): AppView {
  let config: ServerConfig | null = null;
  let loading: Promise<Result<ServerConfig>> | null = null;
  let isOpen = false;
  let mode: ThemeMode = page.theme;
  let overrides: Palette = page.primary ? { primary: page.primary } : {};
  /** The config asks for the blocks chunk (inputs or a layout), loaded when the panel opens. */
  let wantsBlocks = false;
  const current = (): ServerConfig | null => config;

  // The views come first. What they use of the factories' results (below) is looked up when
  // they call it, which is never before the factories have run.
  const draw: Markdown = (source) => markdown(source);
  const choose = (text: string): boolean => send(text, null);
  const list = MessageList(
    example,
    () => (config ? config.chatbot : null),
    (then) => rich(then),
    (then) => steps(then),
    draw,
  );
  const composer = Composer({
    send: choose,
    stop: () => stop(),
    files: attach,
    record(button) {
      Promise.all([loadUploads(), chunk<Recorder>(RECORDER_KEY)]).then(
        guard(([view, recorder]: [UploadsView, Recorder]) =>
          recorder.record({ button, notice: composer.notice, done: (file) => view.add([file]) }),
        ),
        () => composer.notice(UNAVAILABLE),
      );
    },
  });
  const panel = Panel(() => close(true), [list.el, composer.el], draw);
  const launcher = Launcher(() => (isOpen ? close(true) : open(true)), page);
  const root = el("div", { class: "root" }, [panel.el, launcher.el, list.live]);
  if (launcher.greeting) root.append(launcher.greeting);
  const historyButton = el(
    "button",
    { type: "button", class: "hist", "aria-label": "Chat history", "aria-expanded": "false" },
    ["\u2630"],
  );
  historyButton.hidden = true;
  const header = panel.el.firstChild as HTMLElement;
  header.insertBefore(historyButton, header.lastChild);

  // Files dropped on the panel are attached (multimodal apps); a hint shows while dragging.
  let dragTimer = 0;
  const dropping = (event: DragEvent): boolean => {
    const types = event.dataTransfer ? event.dataTransfer.types : [];
    if (!canAttach() || Array.prototype.indexOf.call(types, "Files") < 0) return false;
    event.preventDefault();
    clearTimeout(dragTimer);
    return true;
  };
  on(panel.el, "dragover", (event) => {
    if (!dropping(event)) return;
    panel.el.classList.add("dropping");
    dragTimer = window.setTimeout(() => panel.el.classList.remove("dropping"), 300);
  });
  on(panel.el, "drop", (event) => {
    if (!dropping(event)) return;
    panel.el.classList.remove("dropping");
    const files = event.dataTransfer && event.dataTransfer.files;
    if (files) attach(Array.from(files));
  });

  on(root, "keydown", (event) => {
    if (event.key === "Escape" && isOpen && !event.isComposing) {
      event.preventDefault();
      close(true);
    }
  });

  /** The composer stays above an on-screen keyboard: the panel follows the visual viewport. */
  const viewport = window.visualViewport;
  const fit = guard(() => {
    if (!viewport) return;
    root.style.setProperty("--vvh", viewport.height + "px");
    root.style.setProperty("--vvt", viewport.offsetTop + "px");
  });
  if (viewport) {
    viewport.addEventListener("resize", fit);
    viewport.addEventListener("scroll", fit);
  }

  const [
    chunkCss,
    chunk,
    markdown,
    rich,
    steps,
    loadRender,
    loadBlocks,
    showOutputs,
    loadUploads,
    refill,
    blocks,
    tray,
  ] = chunked(
    widget,
    list,
    composer,
    current,
    panel,
    hooks,
    root,
    restyle,
    example,
    choose,
    () => turns,
  );
  const [turns, save, restore, fresh, send, stop] = conversation(
    widget,
    list,
    composer,
    current,
    events,
    loadConfig,
    tray,
    showOutputs,
    blocks,
    panel,
    historyButton,
    () => isOpen,
    open,
    refill,
    chunk,
    loadRender,
  );

  function restyle(): void {
    const light = config ? config.light : {};
    const dark = config ? config.dark : {};
    const css = config ? config.css : "";
    setSheets([
      themeCss(light, dark, overrides, mode) + layoutCss(page, config ? config.chatbot : null),
      ...chunkCss,
      css,
    ]);
  }

  /** Loads /api/config once; after a failure the next message tries again. */
  function loadConfig(): Promise<Result<ServerConfig>> {
    if (!loading) {
      loading = fetchConfig(widget).then((result) => {
        if (result.ok) {
          config = result.value;
          panel.setHeader(config.title, config.description);
          composer.configure(config.textbox);
          historyButton.hidden = !config.saveHistory;
          const multimodal = config.multimodal;
          if (multimodal) composer.multimodal(multimodal, canRecord(multimodal));
          // Additional inputs, or a layout with anything above or below the conversation.
          const layout = own(config.raw, "layout");
          const around = (side: string): boolean => {
            const items = own(layout, side);
            return Array.isArray(items) && items.length > 0;
          };
          wantsBlocks =
            !!own(config.raw, "additional_inputs") || around("above") || around("below");
          if (isOpen) prepare();
          restore("chatbubble:" + widget.origin + ":" + config.app);
          if (!turns.length) list.configure(config);
          restyle();
          if (isOpen && config.textbox.autofocus) composer.focus();
        } else {
          loading = null;
        }
        return result;
      });
    }
    return loading;
  }

  /** What the open panel shows: markdown, and the blocks around the conversation. */
  function prepare(): void {
    loadRender();
    if (wantsBlocks) loadBlocks().catch(report);
  }

  const canAttach = (): boolean =>
    !!config && !!config.multimodal && config.multimodal.sources.indexOf("upload") >= 0;

  /** "Record audio" with the microphone source (recordings pass any `file_types`). */
  function canRecord(options: NonNullable<ServerConfig["multimodal"]>): boolean {
    return options.sources.indexOf("microphone") >= 0 && typeof MediaRecorder === "function";
  }

  function attach(files: File[]): void {
    if (!files.length || !canAttach()) return;
    loadUploads().then(
      guard((view: UploadsView) => view.add(files)),
      () => composer.notice(UNAVAILABLE),
    );
  }

  function open(focus: boolean): void {
    if (isOpen) return;
    isOpen = true;
    root.classList.add("open");
    panel.el.hidden = false;
    launcher.setOpen(true);
    prepare();
    fit();
    list.scrollToEnd();
    if (focus) composer.focus();
    save();
    events.emit("open");
  }

  function close(focusLauncher: boolean): void {
    if (!isOpen) return;
    const active = (root.getRootNode() as ShadowRoot | Document).activeElement;
    isOpen = false;
    root.classList.remove("open");
    panel.el.hidden = true;
    launcher.setOpen(false);
    if (focusLauncher || (active && panel.el.contains(active))) launcher.el.focus();
    save();
    events.emit("close");
  }

  function example(index: number): void {
    const chosen = config ? config.examples[index] : undefined;
    if (!config || !chosen) return;
    if (config.runExamplesOnClick) send(chosen.text, index, chosen.files);
    else refill(chosen.text, chosen.files);
  }

  restyle();
  loadConfig().catch(report);
  if (page.open) open(false);

  return {
    el: root,
    open: () => open(true),
    close: () => close(false),
    toggle: () => (isOpen ? close(false) : open(true)),
    send(text) {
      if (typeof text !== "string") return;
      open(true);
      send(text, null);
    },
    newChat: fresh,
    setTheme(theme) {
      if (typeof theme === "string" && MODES.indexOf(theme) >= 0) mode = theme as ThemeMode;
      else if (typeof theme === "object" && theme !== null)
        overrides = { ...overrides, ...palette(theme) };
      else return;
      restyle();
    },
  };
}
