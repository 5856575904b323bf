// The only module that talks to the network: GET /api/config, POST /api/chat (protocol v1), an
// answer read on from another page (POST /api/streams/<id>) and its Stop, POST /api/upload
// (used by the uploads chunk only, so it stays out of the core bundle), POST /login (the login
// chunk's), POST /api/event (the blocks chunk's event handlers) and a signed-in visitor's
// history on the server (`getJson` and `postJson` under api/history, the extras chunk's). With a login, every request
// carries `Authorization: Bearer <token>`; with the host site's token for its visitor,
// `X-Chatbubble-User: <token>`.
//
// Nothing here throws: network and server failures come back as `ApiError` values that the UI
// shows in the panel. Fetch options are prototype-free objects with every field set, so a
// polluted `Object.prototype` (say, `method = "PUT"`) cannot change a request.

import { serverConfig, type ServerConfig, type WidgetConfig } from "./config";
import { bare, encodeJson, own, ownString, parseJson } from "./json";
import { filePart, parts, textOf, type FilePart, type Part } from "./parts";
import { SseParser, type SseEvent } from "./sse";
import { t } from "./translate";

export type ApiErrorKind = "network" | "http" | "server" | "interrupted";

export interface ApiError {
  readonly kind: ApiErrorKind;
  /** HTTP status, 0 for network failures and cut streams. */
  readonly status: number;
  /** The envelope's stable `code`, or "" when there was none. */
  readonly code: string;
  /** Text safe to show to the visitor. */
  readonly message: string;
}

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export type ChatOutcome =
  | { readonly kind: "done"; readonly id: string | null }
  | { readonly kind: "stopped" }
  | { readonly kind: "error"; readonly error: ApiError };

/**
 * Where an answer's stream stands, updated as its events are read: the stream's id and token from
 * its `start` event (a resumable answer; token "" otherwise) and the id of the last event applied.
 */
export interface Live {
  stream: string;
  token: string;
  after: number;
}

/** What the reader of an answer's events is told. */
export interface AnswerHandlers {
  /** The whole answer so far, after every delta: its text, and its parts (null for a text answer). */
  answer(text: string, parts: Part[] | null): void;
  /** An `outputs` event's list (additional outputs). */
  outputs(outputs: unknown): void;
  /** The `start` event was read (`live` has the stream's id and token). */
  started(): void;
  /** A `queue` event: the answer waits with `position` callers ahead; null once it runs. */
  queued(position: number | null): void;
}

/** Aborts a stream that has been silent this long (the server sends keep-alives meanwhile). */
const STREAM_IDLE_MS = 120_000;
/** Stop before the `start` event waits this long for the stream's token, then just disconnects. */
const START_WAIT_MS = 1000;

function apiError(kind: ApiErrorKind, status: number, message: string, code = ""): ApiError {
  return Object.freeze({ kind, status, code, message });
}

function failure(error: ApiError): { readonly ok: false; readonly error: ApiError } {
  return { ok: false, error };
}

/** Turns a JSON error envelope (or anything else) into an ApiError. */
function envelopeError(kind: ApiErrorKind, status: number, json: unknown): ApiError {
  const message = ownString(json, "error");
  const code = ownString(json, "code") ?? "";
  if (message) return apiError(kind, status, message, code);
  const text = status ? t("error_http", { status: String(status) }) : t("error_server");
  return apiError(kind, status, text, code);
}

/** Sent with every POST: the server binds the visitor's uploads to it (see WidgetConfig). */
const VISITOR_KEY = "X-Visitor-Key";

/** The host site's token for its visitor (WidgetConfig.user), kept apart from the login's. */
const USER = "X-Chatbubble-User";

function init(
  widget: WidgetConfig,
  method: "GET" | "POST",
  body: string | null,
  signal: AbortSignal | null,
  keepalive = false,
): RequestInit {
  const headers = Object.create(null) as Record<string, string>;
  headers["Accept"] = signal ? "text/event-stream" : "application/json";
  if (body !== null) headers["Content-Type"] = "application/json";
  if (method === "POST") headers[VISITOR_KEY] = widget.visitorKey;
  if (widget.login.token) headers["Authorization"] = "Bearer " + widget.login.token;
  if (widget.user.token) headers[USER] = widget.user.token;
  return bare<RequestInit>({
    method,
    headers,
    body,
    signal,
    mode: "cors",
    credentials: "omit",
    cache: "no-store",
    redirect: "error",
    referrerPolicy: "strict-origin-when-cross-origin",
    keepalive,
  });
}

/** Fetches `path` of the backend; a 401 `login_required` calls `widget.login.expired`. */
async function send(
  widget: WidgetConfig,
  path: string,
  options: RequestInit,
): Promise<Result<Response>> {
  let response: Response;
  try {
    response = await fetch(widget.baseUrl + path, options);
  } catch (error) {
    if (options.signal && options.signal.aborted) throw error;
    return failure(apiError("network", 0, t("error_network")));
  }
  if (response.ok) return { ok: true, value: response };
  let text = "";
  try {
    text = await response.text();
  } catch {
    // the envelope is optional; the status alone still explains the failure
  }
  const error = envelopeError("http", response.status, parseJson(text));
  const expired = widget.login.expired;
  if (error.code === "login_required" && expired) expired();
  return failure(error);
}

/**
 * POSTs a small JSON body to `path` (a flag, a Stop); resolves to the error, or null after
 * `then` had the answer's JSON (a flag's outputs). A body within the browser's 64 KB keepalive
 * quota (at most 3 UTF-8 bytes a UTF-16 unit) is sent with keepalive, so it still arrives when
 * the visitor follows a link right after the click.
 */
export async function postJson(
  widget: WidgetConfig,
  path: string,
  body: string,
  then?: (json: unknown) => void,
) {
  const keepalive = body.length <= 20000;
  const sent = await send(widget, path, init(widget, "POST", body, null, keepalive));
  if (!sent.ok) return sent.error;
  if (then) then(parseJson(await sent.value.text()));
  return null;
}

/**
 * GETs `path` (the history chunk's `api/history`, with the visitor's token) and parses its JSON;
 * used by the extras chunk only, so it stays out of the core bundle.
 */
export async function getJson(widget: WidgetConfig, path: string): Promise<Result<unknown>> {
  const sent = await send(widget, path, init(widget, "GET", null, null));
  if (!sent.ok) return sent;
  try {
    return { ok: true, value: parseJson(await sent.value.text()) };
  } catch {
    return failure(apiError("network", 0, t("error_network")));
  }
}

/**
 * `GET /api/config`, with `?locale=` when the page chose one (`data-locale`); otherwise the
 * server goes by the app's `locale`, then the browser's Accept-Language, as the widget does.
 */
export async function fetchConfig(
  widget: WidgetConfig,
  locale: string | null,
  signal: AbortSignal,
): Promise<Result<ServerConfig>> {
  const query = locale ? "?locale=" + encodeURIComponent(locale) : "";
  const options = init(widget, "GET", null, null);
  options.signal = signal; // the chat taken off the page mid-request (AppView.unmount) aborts it
  const sent = await send(widget, "api/config" + query, options);
  if (!sent.ok) return sent;
  let json: unknown;
  try {
    json = parseJson(await sent.value.text());
  } catch {
    return failure(apiError("network", 0, t("error_network")));
  }
  if (typeof json !== "object" || json === null) {
    return failure(envelopeError("http", sent.value.status, null));
  }
  return { ok: true, value: serverConfig(json, widget.baseUrl) };
}

/**
 * Streams an answer: POSTs `body` to `path` ("api/chat" with a visitor message, or
 * "api/streams/<id>" to read on an answer started on another page, which continues `text` and
 * `answered`) and applies each event in order, keeping `live` up to date. Aborting `signal` (Stop)
 * also stops a resumable answer on the server, whose function would otherwise wait a while for
 * a reader to come back; it resolves with `{kind: "stopped"}`, as does an `event: stopped`
 * (Stop from another page).
 */
export async function streamChat(
  widget: WidgetConfig,
  path: string,
  body: string,
  signal: AbortSignal,
  live: Live,
  on: AnswerHandlers,
  text = "",
  answered: Part[] | null = null,
): Promise<ChatOutcome> {
  // Held in an object so TypeScript sees that the event callback changes it.
  const state: { outcome: ChatOutcome | null; text: string; parts: Part[] | null } = {
    outcome: null,
    text,
    parts: answered,
  };
  let idle = 0;
  let started = !!live.token;
  let stopping = false;
  const watchdog = new AbortController();
  const abortAll = () => watchdog.abort();
  const stop = (): void => {
    if (live.token) {
      postJson(widget, "api/streams/" + live.stream + "/stop", encodeJson({ token: live.token }));
    } else if (!started) {
      // Stop before the `start` event: its token lets the server stop the function at once.
      stopping = true;
      window.setTimeout(abortAll, START_WAIT_MS);
      return;
    }
    abortAll();
  };
  signal.addEventListener("abort", stop);
  const resetIdle = () => {
    clearTimeout(idle);
    idle = window.setTimeout(abortAll, STREAM_IDLE_MS);
  };

  const onEvent = (event: SseEvent): void => {
    if (state.outcome) return;
    apply(event);
    const id = Number(event.id);
    if (event.id && id >= 0 && id % 1 === 0) live.after = id;
    if (event.event === "start") {
      const start = parseJson(event.data);
      live.stream = ownString(start, "stream") || "";
      live.token = ownString(start, "token") || "";
      started = true;
      on.started();
      if (stopping) stop();
    }
  };

  const apply = (event: SseEvent): void => {
    if (event.event === "message") {
      const delta = parseJson(event.data);
      const append = ownString(delta, "append");
      const replace = ownString(delta, "replace");
      const list = state.parts;
      if (replace !== undefined) {
        state.text = replace;
        state.parts = null;
      }
      if (append !== undefined && list && replace === undefined) {
        // Deltas after a `parts` event extend its text part `at` (by default the last; or start one).
        const index = (own(delta, "at") as number | undefined) ?? list.length - 1;
        const part = list[index];
        if (part && part.type === "text") list[index] = { ...part, text: part.text + append };
        else list.push({ type: "text", text: append });
        state.text = textOf(list);
      } else if (append !== undefined) state.text += append;
      if (append !== undefined || replace !== undefined) on.answer(state.text, state.parts);
    } else if (event.event === "parts") {
      const list = parts(own(parseJson(event.data), "parts"));
      if (list) {
        state.parts = list;
        state.text = textOf(list);
        on.answer(state.text, list);
      }
    } else if (event.event === "outputs") {
      on.outputs(own(parseJson(event.data), "outputs"));
    } else if (event.event === "queue") {
      const position = own(parseJson(event.data), "position");
      on.queued(typeof position === "number" ? position : null);
    } else if (event.event === "done") {
      state.outcome = { kind: "done", id: ownString(parseJson(event.data), "id") ?? null };
    } else if (event.event === "error") {
      state.outcome = { kind: "error", error: envelopeError("server", 0, parseJson(event.data)) };
    } else if (event.event === "stopped") {
      state.outcome = { kind: "stopped" };
    }
    // Unknown events need nothing from us.
  };

  try {
    resetIdle();
    const sent = await send(widget, path, init(widget, "POST", body, watchdog.signal));
    if (!sent.ok) return { kind: "error", error: sent.error };
    const stream = sent.value.body;
    if (!stream)
      return { kind: "error", error: apiError("interrupted", 0, t("error_interrupted")) };
    const reader = stream.getReader();
    const parser = new SseParser(onEvent);
    for (;;) {
      resetIdle();
      const chunk = await reader.read();
      if (chunk.done) break;
      parser.push(chunk.value);
      if (state.outcome) {
        reader.cancel().catch(() => undefined);
        break;
      }
    }
    parser.end();
    return (
      state.outcome ?? { kind: "error", error: apiError("interrupted", 0, t("error_interrupted")) }
    );
  } catch {
    if (signal.aborted) return { kind: "stopped" };
    return (
      state.outcome ?? { kind: "error", error: apiError("interrupted", 0, t("error_interrupted")) }
    );
  } finally {
    clearTimeout(idle);
    signal.removeEventListener("abort", stop);
  }
}

/** `POST /login`: the token and its expiry (Unix seconds), or why not (wrong password, ...). */
export async function logIn(
  widget: WidgetConfig,
  username: string,
  password: string,
): Promise<Result<{ token: string; expires: number }>> {
  const body = encodeJson({ username, password });
  const sent = await send(widget, "login", init(widget, "POST", body, null));
  if (!sent.ok) return sent;
  let json: unknown = null;
  try {
    json = parseJson(await sent.value.text());
  } catch {
    // unreadable: no token below
  }
  const token = ownString(json, "token");
  const expires = own(json, "expires");
  if (!token || typeof expires !== "number") return failure(envelopeError("http", 200, json));
  return { ok: true, value: { token, expires } };
}

/** An upload under way: its outcome, and a way to cancel it. */
export interface Upload {
  readonly done: Promise<Result<FilePart>>;
  abort(): void;
}

/**
 * `POST /api/upload?name=…` with the file's bytes as the body. XMLHttpRequest rather than fetch:
 * only it reports upload progress (`onProgress` gets 0…1). Aborting resolves with an error
 * nobody needs to show (kind "interrupted").
 */
export function upload(
  widget: WidgetConfig,
  file: Blob,
  name: string,
  onProgress: (fraction: number) => void,
): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Result<FilePart>>((resolve) => {
    xhr.open("POST", widget.baseUrl + "api/upload?name=" + encodeURIComponent(name));
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader(VISITOR_KEY, widget.visitorKey);
    if (widget.login.token) xhr.setRequestHeader("Authorization", "Bearer " + widget.login.token);
    if (widget.user.token) xhr.setRequestHeader(USER, widget.user.token);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const json = parseJson(xhr.responseText);
      const part = xhr.status === 201 || xhr.status === 200 ? filePart(json) : null;
      resolve(part ? { ok: true, value: part } : failure(envelopeError("http", xhr.status, json)));
    };
    xhr.onerror = () => resolve(failure(apiError("network", 0, t("error_network"))));
    xhr.onabort = () => resolve(failure(apiError("interrupted", 0, t("error_upload_cancelled"))));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/**
 * `POST /api/event`: runs one event handler of the Blocks around the chat (used by the blocks
 * chunk only, so it stays out of the core bundle). `outputs` gets each `outputs` event's list;
 * resolves with null once the handler is done, else with the error to show.
 */
export async function runEvent(
  widget: WidgetConfig,
  body: string,
  outputs: (list: unknown) => void,
): Promise<ApiError | null> {
  let result: ApiError | null | undefined;
  const parser = new SseParser((event) => {
    const data = parseJson(event.data);
    if (event.event === "outputs") outputs(own(data, "outputs"));
    else if (event.event === "done") result = null;
    else if (event.event === "error") result = envelopeError("server", 0, data);
  });
  try {
    const options = init(widget, "POST", body, new AbortController().signal);
    const sent = await send(widget, "api/event", options);
    if (!sent.ok) return sent.error;
    const stream = sent.value.body;
    if (stream) {
      const reader = stream.getReader();
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        parser.push(chunk.value);
      }
      parser.end();
    }
  } catch {
    // a cut stream: told below
  }
  return result === undefined ? apiError("interrupted", 0, t("error_interrupted")) : result;
}
