// React bindings of the npm package (`chatbubble-widget/react`): the `<ChatBubble>` component
// and the `useChatBubble` hook, both over `mount()` (./index.ts). Plain `createElement`, no JSX,
// and nothing touches `window` or `document` until an effect runs: a server-side render imports
// and renders them to a string (an empty element for inline, nothing otherwise).
//
// One chat per mounted component: it is mounted in an effect and destroyed in that effect's
// cleanup, so React's StrictMode (which mounts, unmounts and mounts again) leaves one chat.
// The event callbacks are read from a ref when the event comes: a new `onAnswer` each render does
// not remount. `userToken`, `context`, `theme`, `strings` and `open` apply live through the
// handle (identify/logout, setContext, setTheme, setStrings, open/close), but a key dropped from
// `context` or `strings` (their commands merge); any other option changed mounts a new chat in
// place of the old one.

import {
  createElement,
  forwardRef,
  useEffect,
  useImperativeHandle,
  useRef,
  useState,
  type CSSProperties,
  type ReactElement,
  type RefCallback,
} from "react";
import { mount } from "./index";
import type { ChatHandle, EventMap, MountOptions } from "./types";

export type * from "./types";

/** The chat's events as callbacks; changing one never remounts the chat. */
export interface ChatBubbleCallbacks {
  onOpen?: () => void;
  onClose?: () => void;
  /** Every message shown: the visitor's when sent, the assistant's when finished. */
  onMessage?: (message: EventMap["message"]) => void;
  /** The assistant's messages only, once finished. */
  onAnswer?: (message: EventMap["message"]) => void;
  /** An error the chat shows, and a chat that cannot start (code `"mount"`: the reason). */
  onError?: (error: EventMap["error"]) => void;
  /** The server refused `userToken`: give a fresh one (a new `userToken` prop does). */
  onIdentify?: (request: EventMap["identify"]) => void;
}

/** `mount`'s options but `target` (an inline chat fills the hook's ref, or the component). */
export type ChatBubbleOptions = Omit<MountOptions, "target"> & ChatBubbleCallbacks;

export interface ChatBubbleProps extends ChatBubbleOptions {
  /** On the element an inline chat fills (give it a height). */
  className?: string;
  style?: CSSProperties;
}

/** The options with a live command, applied to the chat in place when they change. */
const LIVE = ["userToken", "context", "theme", "strings", "open"] as const;
type Live = (typeof LIVE)[number];
const CALLBACKS = ["onOpen", "onClose", "onMessage", "onAnswer", "onError", "onIdentify"];

const live = (options: ChatBubbleOptions): string[] =>
  LIVE.map((name) => JSON.stringify(options[name]) ?? "");

/** A key of `context` or `strings` given before and not now: their commands merge, so only a
 *  new chat forgets it (as `<chat-bubble>` does). */
const drops = (before: string[], now: string[]): boolean =>
  [LIVE.indexOf("context"), LIVE.indexOf("strings")].some((at) => {
    const old = JSON.parse(before[at] || "null") as object | null;
    const next = (JSON.parse(now[at] || "null") || {}) as object;
    return !!old && Object.keys(old).some((name) => !(name in next));
  });

function apply(chat: ChatHandle, name: Live, options: ChatBubbleOptions): void {
  const { userToken, context, theme, strings, open } = options;
  if (name === "userToken") {
    if (userToken) chat.identify(userToken);
    else chat.logout();
  } else if (name === "context") chat.setContext(context || {});
  else if (name === "theme") chat.setTheme(theme || "light");
  else if (name === "strings") chat.setStrings(strings || {});
  else if (open) chat.open();
  else if (open === false) chat.close();
}

/**
 * Mounts a chat for as long as the calling component is mounted.
 *
 * ```ts
 * const [ref, chat] = useChatBubble({ server: "https://bot.example.com", mode: "inline" });
 * return <><div ref={ref} style={{ height: 600 }} /><button onClick={() => chat?.send("Hi")}>Ask</button></>;
 * ```
 *
 * Returns the ref to put on the element an inline chat fills (bubble and fullscreen chats need
 * none), and the chat's handle: `null` until mounted, and again after unmounting.
 */
export function useChatBubble(
  options: ChatBubbleOptions,
): [RefCallback<HTMLElement>, ChatHandle | null] {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [chat, setChat] = useState<ChatHandle | null>(null);
  /** Raised to mount a new chat in place of the old one (a key dropped from context/strings). */
  const [generation, setGeneration] = useState(0);
  const latest = useRef(options);
  const applied = useRef<string[]>([]);
  const fixed: Record<string, unknown> = {};
  for (const name of Object.keys(options) as (keyof ChatBubbleOptions)[]) {
    if (LIVE.indexOf(name as Live) < 0 && CALLBACKS.indexOf(name) < 0) fixed[name] = options[name];
  }
  const key = JSON.stringify(fixed);
  const liveKey = JSON.stringify(live(options));
  const inline = options.mode === "inline";

  useEffect(() => {
    latest.current = options;
  });

  useEffect(() => {
    if (inline && !element) return undefined;
    const now = latest.current;
    const settings = JSON.parse(key) as Omit<MountOptions, "target">;
    const values: Partial<MountOptions> = {};
    for (const name of LIVE)
      if (now[name] !== undefined) Object.assign(values, { [name]: now[name] });
    const handle = mount({ ...settings, ...values, ...(element ? { target: element } : {}) });
    applied.current = live(now);
    // A chat that cannot start says why itself (console and panel); `onError` hears it too
    // (code "mount"), but not the cancellation of a chat destroyed before it was ready.
    handle.ready.catch((error: Error) => {
      if (error.name !== "AbortError")
        latest.current.onError?.({ message: error.message, code: "mount" });
    });
    const off = [
      handle.on("open", () => latest.current.onOpen?.()),
      handle.on("close", () => latest.current.onClose?.()),
      handle.on("message", (message) => {
        latest.current.onMessage?.(message);
        if (message.role === "assistant") latest.current.onAnswer?.(message);
      }),
      handle.on("error", (error) => latest.current.onError?.(error)),
      handle.on("identify", (request) => latest.current.onIdentify?.(request)),
    ];
    setChat(handle);
    return () => {
      for (const stop of off) stop();
      handle.destroy();
      setChat(null);
    };
  }, [element, inline, key, generation]);

  useEffect(() => {
    if (!chat) return;
    const now = live(latest.current);
    if (drops(applied.current, now)) return setGeneration((value) => value + 1);
    LIVE.forEach((name, at) => {
      if (now[at] !== applied.current[at]) apply(chat, name, latest.current);
    });
    applied.current = now;
  }, [chat, liveKey]);

  return [setElement, chat];
}

/**
 * `<ChatBubble server="https://bot.example.com" mode="inline" onAnswer={...} />`: one chat while
 * mounted. Inline, it renders the element the chat fills (`className`, `style`); as a bubble or
 * fullscreen, nothing of its own. Its `ref` receives the chat's handle (`ref.current?.open()`).
 */
export const ChatBubble = forwardRef<ChatHandle, ChatBubbleProps>(
  function ChatBubble(props, ref): ReactElement | null {
    const { className, style, ...options } = props;
    const [target, chat] = useChatBubble(options);
    useImperativeHandle(ref, () => chat as ChatHandle, [chat]);
    return options.mode === "inline"
      ? createElement("div", { ref: target, className, style })
      : null;
  },
);
