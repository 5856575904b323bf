// An incremental server-sent-events parser (the WHATWG "event stream" format).
//
// Bytes arrive in chunks cut anywhere, even inside a multi-byte character or between the CR and
// LF of one line end. `push` decodes with a streaming TextDecoder, splits lines on CR, LF or
// CRLF, and calls `onEvent` for every complete event. Comments (`:` lines) and `retry` are
// ignored; an event still open when the stream ends is dropped, as the format says.

export interface SseEvent {
  /** The `event:` field, "message" when absent. */
  readonly event: string;
  /** The `data:` lines joined with "\n". */
  readonly data: string;
  /** The last `id:` seen in the stream so far. */
  readonly id: string;
}

export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  private readonly onEvent: (event: SseEvent) => void;
  private pending = "";
  private skipLeadingLf = false;
  private event = "";
  private data: string[] = [];
  private lastId = "";

  constructor(onEvent: (event: SseEvent) => void) {
    this.onEvent = onEvent;
  }

  push(chunk: Uint8Array): void {
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** Flushes the decoder; call once when the body ends. */
  end(): void {
    this.feed(this.decoder.decode());
  }

  private feed(text: string): void {
    if (!text) return;
    let start = 0;
    if (this.skipLeadingLf) {
      this.skipLeadingLf = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    const buffer = this.pending + text.slice(start);
    let lineStart = 0;
    for (let i = this.pending.length; i < buffer.length; i++) {
      const code = buffer.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      this.line(buffer.slice(lineStart, i));
      if (code === 13) {
        if (i + 1 < buffer.length) {
          if (buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      lineStart = i + 1;
    }
    this.pending = buffer.slice(lineStart);
  }

  private line(line: string): void {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" starts a comment
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && value.indexOf("\0") < 0) this.lastId = value;
  }

  private dispatch(): void {
    const event = this.event || "message";
    const data = this.data;
    this.event = "";
    this.data = [];
    if (data.length) this.onEvent({ event, data: data.join("\n"), id: this.lastId });
  }
}
