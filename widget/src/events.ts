// The events of the public API: `chatbubble.on(name, callback)` returns an unsubscribe
// function. A callback that throws is the page's bug: it is logged as the page's own error and
// the widget carries on. "identify" ({code, message}) fires when the server refuses the host
// site's token for the visitor (expired, invalid, or missing with identity_required): the page
// answers with `chatbubble("identify", freshToken)`, and a new token sends the refused message
// again by itself (once per refusal: streaming.ts).

export type EventName = "open" | "close" | "message" | "error" | "identify";
export type Callback = (detail?: unknown) => void;

export interface Events {
  on(name: unknown, callback: unknown): () => void;
  emit(name: EventName, detail?: unknown): void;
}

const NAMES: readonly string[] = ["open", "close", "message", "error", "identify"];

/** Each chat's own events; each also goes to `page`'s (what `chatbubble.on` hears), if given. */
export function Events(page?: Events): Events {
  const listeners: [string, Callback][] = [];
  return {
    on(name, callback) {
      if (typeof name !== "string" || NAMES.indexOf(name) < 0 || typeof callback !== "function")
        return () => undefined;
      const entry: [string, Callback] = [name, callback as Callback];
      listeners.push(entry);
      return () => {
        const at = listeners.indexOf(entry);
        if (at >= 0) listeners.splice(at, 1);
      };
    },
    emit(name, detail) {
      const now = listeners.slice();
      for (let i = 0; i < now.length; i++) {
        const [wanted, callback] = now[i] as [string, Callback];
        if (wanted !== name) continue;
        try {
          callback(detail === undefined ? undefined : Object.freeze(detail));
        } catch (error) {
          try {
            console.error(error);
          } catch {
            // a page that broke console.error gets silence
          }
        }
      }
      if (page) page.emit(name, detail);
    },
  };
}
