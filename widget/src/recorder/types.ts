// The contract between the core widget and the recorder chunk (widget/src/recorder/index.ts →
// backend/static/chunks/recorder.js), loaded on the first click on "Record audio".

export const RECORDER_KEY = "chatbubble.recorder";

export interface RecorderHost {
  /** The "Record audio" button: hidden while recording, the Stop button goes after it. */
  readonly button: HTMLElement;
  notice(message: string | null): void;
  /** The finished recording, as a file to attach. */
  done(file: File): void;
  /** Aborted when the chat is taken off the page: the microphone and the clock stop with it. */
  readonly life: { readonly signal: AbortSignal };
}

export interface Recorder {
  readonly css: string;
  /** Starts recording from the microphone (asks for permission first). */
  record(host: RecorderHost): void;
}
