// The chunk loader of one chat (the core's; the panel chunk and the chunks it loads get it as
// `PanelHost.chunk`): a chunk is a script, GET /widget/<name>.js, put into the chat's shadow root;
// it hands its exports over through a one-shot setter on `window.chatbubble` (index.ts), with
// its `css` (added to the chat's stylesheets) and `lend` (which gets the core's `t` and gives
// back the chunk's English: i18n.ts `learn`). Module state: one chat per run of the bundle
// (ui/state.ts says why); `setUp` is called once, by the shell.

import { el } from "../dom";
import { learn, t } from "../i18n";
import { own } from "../json";

/**
 * How chunks reach the widgets of a page (index.ts): a chunk's script hands its exports to the
 * receiver waiting in `take`, so a page loads one key at a time (`busy`: the load under way),
 * each widget its own copy (a chunk keeps state at its module scope).
 */
export interface ChunkHooks {
  readonly take: Record<string, (exports: unknown) => void>;
  readonly busy: Record<string, Promise<unknown>>;
}

/** The chunks loaded or loading, by file. */
const chunks = Object.create(null) as Record<string, Promise<unknown>>;
/** The styles of the chunks that arrived, in order. */
export const chunkCss: string[] = [];
let hooks: ChunkHooks;
let baseUrl: string;
let signal: AbortSignal;
let restyle: () => void;
/** The widget's root element, in the shadow root (where the chunks' scripts go). */
export let root: HTMLDivElement;

export function setUp(
  given: ChunkHooks,
  url: string,
  life: { readonly signal: AbortSignal },
  top: HTMLDivElement,
  styled: () => void,
): void {
  hooks = given;
  baseUrl = url;
  signal = life.signal;
  root = top;
  restyle = styled;
}

/**
 * Loads the chunk with exports `key` ("chatbubble.<name>") once, from /widget/<file>.js (file:
 * `<name>`, or a locale's `locale-<code>`) into the shadow root. Another widget on the page
 * loading the same key goes first (`hooks.busy`), so the script that runs is ours. After a
 * failure the next call tries again; a chat unmounted before its turn loads nothing.
 */
export function chunk<T>(key: string, file = key.slice(11)): Promise<T> {
  const busy = hooks.busy;
  return (chunks[file] ||= busy[key] =
    Promise.resolve(busy[key])
      .catch(() => undefined)
      .then(
        () =>
          new Promise((resolve, reject) => {
            // A chat taken off the page meanwhile: its script would never run (its shadow root
            // is off the page), and the next chat's load of this key would wait on it forever.
            if (signal.aborted) return reject(Error("chatbubble: unmounted"));
            let done = false;
            hooks.take[key] = (value) => {
              done = true;
              const lend = own(value, "lend");
              if (typeof lend === "function") learn(lend(t));
              chunkCss.push(String(own(value, "css") || ""));
              restyle();
              resolve(value);
            };
            const script = el("script", { src: baseUrl + "widget/" + file + ".js" });
            script.onload = script.onerror = () => {
              if (done) return;
              delete hooks.take[key];
              delete chunks[file];
              reject(new Error("chatbubble: " + key + " did not load"));
            };
            root.getRootNode().appendChild(script);
          }),
      )) as Promise<T>;
}
