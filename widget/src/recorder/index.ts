// The recorder chunk: "Record audio" with MediaRecorder, loaded on the first click. While
// recording, the button gives way to "Stop recording" and the elapsed time; the recording
// becomes a file attached like an upload ("recording.webm"). It defines no global: its exports
// go to a one-shot setter on `window.chatbubble`.

import { el, on, report } from "../dom";
import { handOver } from "../handover";
import css from "./recorder.css";
import { RECORDER_KEY, type Recorder, type RecorderHost } from "./types";
import { t } from "../translate";

/** File name extensions for the containers browsers record audio in. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  "audio/webm": "webm",
  "audio/ogg": "ogg",
  "audio/mp4": "m4a",
};

let recording = false;

function why(error: unknown): string {
  const name = error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return t("recorder_denied");
  }
  if (name === "NotFoundError") return t("recorder_no_microphone");
  return t("recorder_failed");
}

function clock(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
}

async function record(host: RecorderHost): Promise<void> {
  if (recording) return;
  recording = true;
  host.notice(null);
  let stream: MediaStream;
  try {
    if (!navigator.mediaDevices) throw new Error("no media devices");
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    recording = false;
    host.notice(why(error));
    return;
  }
  const { signal } = host.life;
  if (signal.aborted) {
    stream.getTracks().forEach((track) => track.stop());
    recording = false;
    return;
  }
  const type = MediaRecorder.isTypeSupported("audio/webm") ? "audio/webm" : "";
  const recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
  const chunks: Blob[] = [];
  const started = Date.now();
  const time = el("span", { class: "rec-time", role: "timer", "aria-label": t("recorder_time") }, [
    "0:00",
  ]);
  const stop = el(
    "button",
    {
      type: "button",
      class: "rec-stop",
      "aria-label": t("recorder_stop"),
      title: t("recorder_stop"),
    },
    [el("span", { class: "rec-dot", "aria-hidden": "true" })],
  );
  const box = el("span", { class: "rec" }, [stop, time]);
  const timer = window.setInterval(() => (time.textContent = clock(Date.now() - started)), 250);

  recorder.ondataavailable = (event) => {
    if (event.data.size) chunks.push(event.data);
  };
  recorder.onstop = () => {
    clearInterval(timer);
    stream.getTracks().forEach((track) => track.stop());
    box.remove();
    host.button.hidden = false;
    host.button.focus();
    recording = false;
    if (signal.aborted) return;
    const mime = (recorder.mimeType || type || "audio/webm").split(";")[0] as string;
    const blob = new Blob(chunks, { type: mime });
    if (blob.size)
      host.done(new File([blob], "recording." + (EXTENSIONS[mime] || "webm"), { type: mime }));
  };
  const end = (): void => {
    if (recorder.state !== "inactive") recorder.stop();
  };
  on(stop, "click", end);
  signal.addEventListener("abort", end);
  host.button.after(box);
  host.button.hidden = true;
  stop.focus();
  recorder.start(250);
}

const exports: Recorder = {
  css,
  record: (host) => {
    record(host).catch((error) => {
      recording = false;
      report(error);
    });
  },
};
handOver(RECORDER_KEY, exports);
