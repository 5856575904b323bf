// The widget's state owner: open/closed, the turns of the conversation, the one answer that
// may be streaming, and the look (theme mode and palette overrides). One visitor message makes
// exactly one POST /api/chat. Parts of the widget that few visitors need load on first use as
// chunks: render (markdown and the sanitizer, when the panel first opens), extras (actions,
// history), media (answers with files), blocks, uploads, recorder.

import { fetchConfig, postJson, streamChat, type ApiError, type Live, type Result } from "../api";
import {
  DEFAULT_LIMITS,
  palette,
  type Palette,
  type ServerConfig,
  type WidgetConfig,
} from "../config";
import { chatBody, charCount, type Exchange } from "../conversation";
import { el, guard, on, report } from "../dom";
import type { Events } from "../events";
import { BLOCKS_KEY, type Blocks, type BlocksView } from "../blocks/types";
import { EXTRAS_KEY, type Extras, type HistoryView } from "../extras/types";
import { encodeJson, own, type Json } from "../json";
import { MEDIA_KEY, type Media, type MediaView } from "../media/types";
import type { PageConfig, ThemeMode } from "../page-config";
import { contents, fileParts, parts, type FilePart, type Part } from "../parts";
import { RECORDER_KEY, type Recorder } from "../recorder/types";
import { RENDER_KEY, type Markdown, type Render, type Renderers } from "../render/types";
import { layoutCss, themeCss } from "../theme";
import { UPLOADS_KEY, type Uploads, type UploadsView } from "../uploads/types";
import type { AnswerView } from "./answer";
import { Composer } from "./composer";
import { Launcher } from "./launcher";
import { MessageList, type Added } from "./messages";
import { Panel } from "./panel";

export interface AppView {
  readonly el: HTMLDivElement;
  open(): void;
  close(): void;
  toggle(): void;
  send(text: unknown): void;
  newChat(): void;
  setTheme(theme: unknown): void;
}

interface Turn {
  readonly user: string;
  /** The files the visitor sent with the message. */
  readonly files: readonly FilePart[];
  readonly answer: AnswerView;
  /** The turn's place in the list (the visitor's bubble, removal). */
  readonly view: Added;
  /** The example's index when the turn came from an example click. */
  readonly example: number | null;
  /** The answer's text (of its text parts, when it has parts). */
  text: string;
  /** The answer's parts; null for a text answer. */
  parts: Part[] | null;
  status: "streaming" | "done" | "stopped" | "error";
  /** The `done` event's signed id (flagging on), and the error shown when it failed. */
  id: string | null;
  error: string;
  /** The visitor's feedback on the answer ("" for none), kept across pages. */
  flag: string;
  /** While it streams: where its stream stands (another page of the site reads it on). */
  live: Live | null;
}

/** An anonymous conversation id (8–64 of `A-Za-z0-9_-`). */
const newId = (): string => "c" + Math.random().toString(36).slice(2) + Date.now().toString(36);

const MODES: readonly string[] = ["light", "dark", "auto"];
const STREAM_ID = /^[\w-]{8,128}$/;
const UNAVAILABLE = "Files can't be attached right now. Please try again.";

export function App(
  widget: WidgetConfig,
  page: PageConfig,
  events: Events,
  setSheets: (extra: readonly string[]) => void,
  hooks: Record<string, (exports: unknown) => void>,
): AppView {
  let turns: Turn[] = [];
  let config: ServerConfig | null = null;
  let loading: Promise<Result<ServerConfig>> | null = null;
  let streaming: AbortController | null = null;
  let isOpen = false;
  let mode: ThemeMode = page.theme;
  let overrides: Palette = page.primary ? { primary: page.primary } : {};
  /** sessionStorage key of the conversation (backend origin + app), once the config is known. */
  let key = "";
  let conversationId = newId();
  /** The page is being left: nothing more is saved. */
  let leaving = false;
  /** The chunks loaded or loading, by key; the styles of those that arrived. */
  const chunks = Object.create(null) as Record<string, Promise<unknown>>;
  const chunkCss: string[] = [];
  let extras: Promise<Extras> | null = null;
  /** The saved conversations (`save_history`), once the extras chunk is here. */
  let history: HistoryView | null = null;
  let media: MediaView | null = null;
  /** Renders waiting for the media chunk. */
  let waiting: (() => void)[] = [];
  /** The blocks chunk's view (steps, inputs, layout, outputs), once loaded. */
  let around: Promise<BlocksView> | null = null;
  let blocks: BlocksView | null = null;
  let uploads: Promise<UploadsView> | null = null;
  let tray: UploadsView | null = null;
  /** The config asks for the blocks chunk (inputs or a layout), loaded when the panel opens. */
  let wantsBlocks = false;
  /** The render chunk's functions once here; until then texts show as plain text. */
  let renderers: Renderers | null = null;
  let rendering: Promise<void> | null = null;
  const markdown: Markdown = (source) => renderers && renderers.markdown(source);

  /** The steps renderer (thoughts, tool steps, preset replies) once loaded, as `rich`. */
  function steps(then: () => void): BlocksView | null {
    if (!blocks) loadBlocks().then(then).catch(report);
    return blocks;
  }

  const list = MessageList(example, () => (config ? config.chatbot : null), rich, steps, markdown);
  const composer = Composer({
    send: (text) => send(text, null),
    stop,
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
  const panel = Panel(() => close(true), [list.el, composer.el], markdown);
  const launcher = Launcher(() => (isOpen ? close(true) : open(true)), page);
  const root = el("div", { class: "root" }, [panel.el, launcher.el, list.live]);
  if (launcher.greeting) root.append(launcher.greeting);
  const historyButton = el(
    "button",
    { type: "button", class: "hist", "aria-label": "Chat history", "aria-expanded": "false" },
    ["\u2630"],
  );
  historyButton.hidden = true;
  on(historyButton, "click", () => {
    loadExtras().then(
      guard(() => history && history.toggle()),
      () => undefined,
    );
  });
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
          if (!key) restore("chatbubble:" + widget.origin + ":" + config.app);
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

  /**
   * The turns as saved: `[user, text, status, answer id, error, flag, parts, files]`, and for an
   * answer still streaming (saved as "stopped") with `streams`, `[stream, token, last event id]`
   * so that the next page of the site reads the rest.
   */
  function snapshot(streams: boolean): Json[][] {
    return turns.map((t) => {
      const item: Json[] = [
        t.user,
        t.text,
        t.status === "streaming" ? "stopped" : t.status,
        t.id,
        t.error,
        t.flag,
        t.parts as unknown as Json,
        t.files as unknown as Json,
      ];
      const live = t.status === "streaming" && t.live;
      if (streams && live && live.token) item.push([live.stream, live.token, live.after]);
      return item;
    });
  }

  function save(): void {
    if (!key || leaving) return;
    try {
      const saved = encodeJson({ o: isOpen, c: conversationId, t: snapshot(true) });
      sessionStorage.setItem(key, saved);
    } catch {
      // full or forbidden storage: the conversation just won't survive navigation
    }
    if (history) history.save(conversationId, snapshot(false));
  }

  function restore(storageKey: string): void {
    key = storageKey;
    let saved: unknown = null;
    let raw: string | null = null;
    try {
      raw = sessionStorage.getItem(key);
    } catch {
      // forbidden storage: start empty
    }
    try {
      if (raw) saved = JSON.parse(raw);
    } catch {
      console.warn("chatbubble storage: discarded a corrupt conversation");
      try {
        sessionStorage.removeItem(key);
      } catch {
        // nothing more to do
      }
    }
    const items = own(saved, "t");
    const id = own(saved, "c");
    if (typeof id === "string" && /^[\w-]{8,64}$/.test(id)) conversationId = id;
    if (Array.isArray(items) && !turns.length) fill(items, true);
    if (turns.length) loadRender();
    if (own(saved, "o") === true) open(false);
  }

  /**
   * Shows saved turns (as `save` writes them) in an empty conversation. With `resume`, a last
   * answer that was still streaming is read on from where it was left.
   */
  function fill(items: readonly unknown[], resume = false): void {
    let live: Live | null = null;
    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i];
      if (!Array.isArray(item)) continue;
      const [user, text, status, answerId, error, flag, saved, sent, stream] = item as unknown[];
      if (typeof user !== "string" || typeof text !== "string") continue;
      const files = fileParts(sent);
      const view = list.add(user, files);
      const turn: Turn = {
        user,
        files,
        answer: view.answer,
        view,
        example: null,
        text,
        parts: parts(saved),
        status: status === "done" || status === "error" ? status : "stopped",
        id: typeof answerId === "string" ? answerId : null,
        error: String(error || ""),
        flag: typeof flag === "string" ? flag : "",
        live: null,
      };
      turns.push(turn);
      if (text || turn.parts) turn.answer.set(text, turn.parts);
      const [id, token, after] = Array.isArray(stream) ? (stream as unknown[]) : [];
      live =
        resume &&
        i === items.length - 1 &&
        status === "stopped" &&
        typeof id === "string" &&
        STREAM_ID.test(id) &&
        typeof token === "string" &&
        STREAM_ID.test(token) &&
        Number.isInteger(after) &&
        (after as number) >= -1
          ? { stream: id, token, after: after as number }
          : null;
      if (live) turn.status = "streaming";
      else if (turn.status === "error") turn.answer.fail(turn.error, () => retry(turn));
      else turn.answer.finish(turn.status as "done");
      decorate(turn);
    }
    for (let i = 0; i < turns.length - 1; i++) (turns[i] as Turn).answer.dropRetry();
    if (live) run(turns[turns.length - 1] as Turn, live).catch(report);
  }

  /**
   * Loads the chunk with exports `key` ("chatbubble.<name>") once, from /widget/<name>.js into
   * the shadow root; it hands its exports (with their `css`) to the setter for `key`. After a
   * failure the next call tries again.
   */
  function chunk<T>(key: string): Promise<T> {
    return (chunks[key] ||= new Promise((resolve, reject) => {
      hooks[key] = (value) => {
        chunkCss.push(String(own(value, "css") || ""));
        restyle();
        resolve(value);
      };
      const script = el("script", { src: widget.baseUrl + "widget/" + key.slice(11) + ".js" });
      script.onerror = () => {
        delete chunks[key];
        reject(new Error("chatbubble: " + key + " did not load"));
      };
      root.getRootNode().appendChild(script);
    })) as Promise<T>;
  }

  /** The extras chunk, set up once (the history panel when `save_history` is on). */
  function loadExtras(): Promise<Extras> {
    return (extras ||= chunk<Extras>(EXTRAS_KEY).then(
      (value) => {
        if (config && config.saveHistory && !history) {
          history = value.history({
            panel: panel.el,
            button: historyButton,
            store: key,
            current: () => conversationId,
            load(id, items) {
              fresh();
              conversationId = id;
              fill(items);
              save();
            },
            fresh,
          });
          save();
        }
        return value;
      },
      (error) => {
        extras = null;
        throw error;
      },
    ));
  }

  /**
   * Loads the render chunk once (markdown and the one sanitizer) and draws again what was shown
   * as plain text meanwhile: the header, the intro, the answers. If it cannot load, plain text
   * stays (the next opening tries again).
   */
  function loadRender(): Promise<void> {
    return (rendering ||= chunk<Render>(RENDER_KEY).then(
      guard((value: Render) => {
        renderers = value.render(widget.baseUrl, widget.origin);
        if (config) panel.setHeader(config.title, config.description);
        list.redraw();
        for (let i = 0; i < turns.length; i++) (turns[i] as Turn).answer.redraw();
      }),
      () => {
        rendering = null;
      },
    ));
  }

  /** What the open panel shows: markdown, and the blocks around the conversation. */
  function prepare(): void {
    loadRender();
    if (wantsBlocks) loadBlocks().catch(report);
  }

  /** Text as plain text, for the chunks (when the render chunk could not load). */
  const plain = (source: string): DocumentFragment => {
    const fragment = document.createDocumentFragment();
    fragment.append(source);
    return fragment;
  };
  const lentMarkdown = (source: string): DocumentFragment => markdown(source) || plain(source);
  const lentHtml = (source: string): DocumentFragment =>
    renderers ? renderers.html(source) : plain(source);

  /** A text part as answers show it: markdown, or plain text when the app turns markdown off. */
  const showText = (source: string): Node =>
    (config && !config.chatbot.renderMarkdown ? null : markdown(source)) ||
    el("div", { class: "plain" }, [source]);

  /** The media renderer when loaded; otherwise starts loading it and runs `then` once it is. */
  function rich(then: () => void): MediaView | null {
    if (media) return media;
    waiting.push(then);
    // The media and blocks chunks come after the render chunk: they draw text once, as markdown.
    loadRender()
      .then(() => chunk<Media>(MEDIA_KEY))
      .then(
        guard((value: Media) => {
          media ||= value.media({
            origin: widget.origin,
            panel: panel.el,
            text: showText,
            html: lentHtml,
            follow: list.follow,
          });
          const run = waiting;
          waiting = [];
          for (let i = 0; i < run.length; i++) guard(run[i] as () => void)();
        }),
        () => undefined,
      );
    return null;
  }

  /** The blocks chunk, set up once: what goes around the conversation is placed. */
  function loadBlocks(): Promise<BlocksView> {
    return (around ||= loadRender()
      .then(() => chunk<Blocks>(BLOCKS_KEY))
      .then((value) => {
        const view = value.blocks({
          config: (config as ServerConfig).raw,
          origin: widget.origin,
          panel: panel.el,
          text: showText,
          markdown: lentMarkdown,
          html: lentHtml,
          load: chunk,
          choose: (text) => send(text, null),
          example,
          follow: list.follow,
        });
        list.el.before(view.above);
        composer.el.after(view.below);
        blocks = view;
        return view;
      }));
  }

  /** Shows an `outputs` event's values in the artifact pane. */
  function showOutputs(values: unknown): void {
    loadBlocks()
      .then((view) => view.outputs(values))
      .catch(report);
  }

  const canAttach = (): boolean =>
    !!config && !!config.multimodal && config.multimodal.sources.indexOf("upload") >= 0;

  /** "Record audio" with the microphone source (recordings pass any `file_types`). */
  function canRecord(options: NonNullable<ServerConfig["multimodal"]>): boolean {
    return options.sources.indexOf("microphone") >= 0 && typeof MediaRecorder === "function";
  }

  /** The pending-files tray, from the uploads chunk (multimodal apps). */
  function loadUploads(): Promise<UploadsView> {
    const options = config && config.multimodal;
    if (!options) return Promise.reject(new Error("chatbubble: not multimodal"));
    return (uploads ||= chunk<Uploads>(UPLOADS_KEY).then(
      (value) =>
        (tray = value.uploads({
          widget,
          options,
          composer: composer.el,
          notice: composer.notice,
          block: composer.block,
        })),
      (error) => {
        uploads = null;
        throw error;
      },
    ));
  }

  /** Puts a message back in the composer: its text, and its files in the tray. */
  function refill(text: string, files: readonly FilePart[]): void {
    composer.fill(text);
    if (files.length)
      loadUploads().then(
        guard((view: UploadsView) => view.put(files)),
        report,
      );
  }

  function attach(files: File[]): void {
    if (!files.length || !canAttach()) return;
    loadUploads().then(
      guard((view: UploadsView) => view.add(files)),
      () => composer.notice(UNAVAILABLE),
    );
  }

  /** Removes `turn` and every later one; false while an answer streams. */
  function cut(turn: Turn): boolean {
    const index = turns.indexOf(turn);
    if (streaming || index < 0) return false;
    const gone = turns.splice(index);
    for (let i = 0; i < gone.length; i++) (gone[i] as Turn).view.remove();
    if (!turns.length) clear();
    save();
    return true;
  }

  function clear(): void {
    list.reset();
    if (config) list.configure(config);
  }

  /** Actions, Copy and feedback buttons of a finished turn, from the extras chunk. */
  function decorate(turn: Turn): void {
    const { id, text, status, parts: answered } = turn;
    if (!config || status === "streaming") return;
    const context = {
      bubble: turn.answer.el,
      user: turn.view.user,
      mine: turn.view.mine,
      question: turn.user,
      answer: status === "error" ? "" : text,
      reply: status === "error" ? [] : reply(turn),
      copy: config.chatbot.showCopyButton,
      options: id ? config.flagging : null,
      id,
      flag: turn.flag,
      flagged: (flag: string) => {
        turn.flag = flag;
        save();
      },
      sent: bodyOf(turn),
      conversationId,
      store: key,
      post: (body: string) => postJson(widget, "api/feedback", body),
      retry: () => retry(turn),
      undo: () => cut(turn) && refill(turn.user, turn.files),
      edit: config.editable ? (next: string) => cut(turn) && send(next, null, turn.files) : null,
    };
    // Without the chunk (say, the server went away) the turn just has no buttons.
    loadExtras().then(
      guard((x: Extras) => {
        if (turn.text === text && turn.parts === answered && turns.includes(turn)) {
          x.answer(context);
        }
        list.follow();
      }),
      () => undefined,
    );
  }

  /** The answer of `turn` as history contents. */
  const reply = (turn: Turn): Json[] => (turn.parts ? contents(turn.parts) : [turn.text]);

  const ids = (files: readonly FilePart[]): string[] => files.map((file) => file.id);

  /** The chat request body for `turn`: the finished turns before it as history. */
  function bodyOf(turn: Turn): string {
    const earlier: Exchange[] = [];
    for (let i = 0; i < turns.length && turns[i] !== turn; i++) {
      const done = turns[i] as Turn;
      const answer = reply(done).filter((content) => content !== "");
      if ((done.status === "done" || done.status === "stopped") && answer.length) {
        earlier.push({ user: done.user, files: ids(done.files), answer });
      }
    }
    const message: Json =
      config && config.multimodal ? { text: turn.user, files: ids(turn.files) } : turn.user;
    const values = blocks && blocks.values(turn.example);
    return chatBody(
      message,
      earlier,
      config ? config.limits : DEFAULT_LIMITS,
      turn.example,
      values,
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

  /** Sends the visitor's message with `files` (by default, the tray's uploaded files). */
  function send(raw: string, exampleIndex: number | null, sent?: readonly FilePart[]): boolean {
    const message = exampleIndex === null ? raw.trim() : raw;
    const files = sent || (tray && exampleIndex === null ? tray.ready() : []);
    if (!files) {
      composer.notice("Please wait until your files are uploaded.");
      return false;
    }
    if ((!message.trim() && !files.length) || streaming) return false;
    const limits = config ? config.limits : DEFAULT_LIMITS;
    const max = Math.min(limits.maxMessageChars, (config && config.textbox.maxLength) || Infinity);
    const length = charCount(message);
    if (length > max) {
      composer.notice(`Your message is too long (${length} characters; the limit is ${max}).`);
      return false;
    }
    composer.notice(null);
    if (exampleIndex === null) composer.clear();
    if (tray && !sent) tray.clear();
    for (let i = 0; i < turns.length; i++) (turns[i] as Turn).answer.dropRetry();
    const view = list.add(message, files);
    const turn: Turn = {
      user: message,
      files,
      answer: view.answer,
      view,
      example: exampleIndex,
      text: "",
      parts: null,
      status: "streaming",
      id: null,
      error: "",
      flag: "",
      live: null,
    };
    turns.push(turn);
    save();
    events.emit("message", { role: "user", content: message });
    run(turn).catch(report);
    return true;
  }

  function stop(): void {
    if (streaming) streaming.abort();
  }

  function retry(turn: Turn): void {
    if (streaming || turns[turns.length - 1] !== turn) return;
    turn.text = "";
    turn.parts = null;
    turn.id = null;
    turn.status = "streaming";
    turn.answer.restart();
    run(turn).catch(report);
  }

  function fail(turn: Turn, error: ApiError): void {
    turn.status = "error";
    turn.error = error.message;
    turn.answer.fail(error.message, () => retry(turn));
    decorate(turn);
    events.emit("error", { message: error.message, code: error.code || error.kind });
  }

  /** Streams the answer of `turn`, or with `resumed`, reads on an answer a previous page started. */
  async function run(turn: Turn, resumed?: Live): Promise<void> {
    const controller = new AbortController();
    const live: Live = resumed || { stream: "", token: "", after: -1 };
    streaming = controller;
    turn.live = live;
    composer.setBusy(true);
    try {
      const loaded = config ? null : await loadConfig();
      if (controller.signal.aborted) {
        turn.status = "stopped";
        turn.answer.finish("stopped");
        return;
      }
      if (loaded && !loaded.ok) {
        fail(turn, loaded.error);
        return;
      }
      let outcome = await streamChat(
        widget,
        resumed ? "api/streams/" + live.stream : "api/chat",
        resumed ? encodeJson({ token: live.token, after: live.after }) : bodyOf(turn),
        controller.signal,
        live,
        {
          answer(text, pieces) {
            turn.text = text;
            turn.parts = pieces;
            turn.answer.set(text, pieces);
          },
          outputs: showOutputs,
          started: save,
        },
        turn.text,
        turn.parts,
      );
      turn.live = null;
      if (!turns.includes(turn)) return; // a new chat started meanwhile
      // The answer is gone (expired, another worker's) or unreachable: keep what we have.
      const refused = outcome.kind === "error" && /^(?:http|network)$/.test(outcome.error.kind);
      if (resumed && refused) outcome = { kind: "stopped" };
      if (outcome.kind === "error") fail(turn, outcome.error);
      else {
        turn.status = outcome.kind;
        if (outcome.kind === "done") turn.id = outcome.id;
        turn.answer.finish(outcome.kind);
        decorate(turn);
        const spoken = turn.answer.spoken();
        if (spoken) list.announce(spoken);
        if (turn.text) events.emit("message", { role: "assistant", content: turn.text });
      }
    } finally {
      if (streaming === controller) {
        streaming = null;
        composer.setBusy(false);
      }
      save();
    }
  }

  function fresh(): void {
    if (!history && turns.length && config && config.saveHistory) {
      // The history code has not loaded yet: keep this conversation once it has.
      const id = conversationId;
      const saved = snapshot(false);
      loadExtras().then(
        () => history && history.save(id, saved),
        () => undefined,
      );
    }
    stop();
    streaming = null;
    composer.setBusy(false);
    turns = [];
    conversationId = newId();
    save();
    clear();
  }

  // Leaving the page: what is saved now is what the next page reads (a stream cut by the
  // navigation must not overwrite it); a page restored from the back/forward cache goes on.
  window.addEventListener(
    "pagehide",
    guard(() => {
      save();
      leaving = true;
    }),
  );
  window.addEventListener("pageshow", () => (leaving = false));
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
