// Unit tests for the widget's pure modules (SSE parsing, JSON, history trimming), run with
// `node --test widget/test/`. The TypeScript sources are bundled in memory by esbuild; the
// DOM-facing modules are covered by the browser tests in tests/e2e/.

import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "./bundle.mjs";

const {
  SseParser,
  encodeJson,
  own,
  chatBody,
  charCount,
  clip,
  serverConfig,
  themeCss,
  layoutCss,
  contents,
  parts,
  textOf,
  fileUrl,
  humanSize,
  allowed,
  isRtl,
  direction,
} = await load(`
      export { SseParser } from "./sse";
      export { encodeJson, own } from "./json";
      export { chatBody, charCount, clip } from "./conversation";
      export { serverConfig } from "./config";
      export { layoutCss, themeCss } from "./theme";
      export { contents, parts, textOf } from "./parts";
      export { fileUrl, humanSize } from "./media/file-url";
      export { allowed } from "./uploads/rules";
      export { direction, isRtl } from "./direction";
    `);

const bytes = (text) => new TextEncoder().encode(text);

/** Feeds `chunks` (Uint8Arrays) to a parser and returns the events it dispatched. */
function parse(chunks) {
  const events = [];
  const parser = new SseParser((event) => events.push({ ...event }));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return events;
}

/** Every way to cut `data` in two, plus one byte at a time. */
function cuts(data) {
  const ways = [[data], Array.from(data, (byte) => Uint8Array.of(byte))];
  for (let i = 1; i < data.length; i++) ways.push([data.slice(0, i), data.slice(i)]);
  return ways;
}

const STREAM =
  'event: start\r\nid: 0\r\ndata: {"protocol": 1}\r\n\r\n' +
  ": keep-alive\n\n" +
  'id: 1\rdata: {"append": "h\u00e9llo \ud83d\udc4b"}\r\r' +
  "retry: 10\nunknown: field\ndata: line one\ndata:line two\ndata\n\n" +
  "event: done\nid: 2\ndata: {}\n\n" +
  "data: never dispatched";

const EXPECTED = [
  { event: "start", data: '{"protocol": 1}', id: "0" },
  { event: "message", data: '{"append": "h\u00e9llo \ud83d\udc4b"}', id: "1" },
  { event: "message", data: "line one\nline two\n", id: "1" },
  { event: "done", data: "{}", id: "2" },
];

test("sse: fields, comments, CR/LF/CRLF line ends, an unterminated last event", () => {
  assert.deepEqual(parse([bytes(STREAM)]), EXPECTED);
});

test("sse: the same events wherever the chunks are cut, even inside a character", () => {
  const data = bytes(STREAM);
  for (const chunks of cuts(data)) assert.deepEqual(parse(chunks), EXPECTED);
});

test("sse: a CR at the end of a chunk and its LF in the next make one line end", () => {
  const events = parse([bytes("data: a\r"), bytes("\ndata: b\r"), bytes("\n\r\n")]);
  assert.deepEqual(events, [{ event: "message", data: "a\nb", id: "" }]);
});

test("sse: a byte-order mark is skipped, one leading space is stripped", () => {
  const events = parse([Uint8Array.of(0xef, 0xbb, 0xbf), bytes("data:  two spaces\n\n")]);
  assert.deepEqual(events, [{ event: "message", data: " two spaces", id: "" }]);
});

test("sse: an event with no data is not dispatched", () => {
  assert.deepEqual(parse([bytes("event: ping\n\nid: 7\n\n")]), []);
});

function hostile(body) {
  const saved = Object.getOwnPropertyDescriptor(Array.prototype, "toJSON");
  Array.prototype.toJSON = function () {
    return "broken";
  };
  Array.prototype.junk = () => 0;
  Object.prototype.polluted = "x";
  try {
    return body();
  } finally {
    delete Array.prototype.junk;
    delete Object.prototype.polluted;
    if (saved) Object.defineProperty(Array.prototype, "toJSON", saved);
    else delete Array.prototype.toJSON;
  }
}

test("json: encodes own data only, whatever the prototypes say", () => {
  const value = {
    message: 'quote " and \u2028 and \ud83d\udc4b',
    history: [{ role: "user", content: "hi" }, []],
    n: 1.5,
    bad: Infinity,
    ok: true,
    none: null,
  };
  const encoded = hostile(() => encodeJson(value));
  assert.equal(
    hostile(() => JSON.stringify([])),
    '"broken"',
    "the patch is real",
  );
  assert.deepEqual(JSON.parse(encoded), { ...value, bad: null });
});

test("json: own() ignores inherited properties", () => {
  hostile(() => {
    assert.equal(own({}, "polluted"), undefined);
    assert.equal(own({ polluted: 1 }, "polluted"), 1);
    assert.equal(own(null, "x"), undefined);
  });
});

test("conversation: characters are counted in code points", () => {
  assert.equal(charCount("abc"), 3);
  assert.equal(charCount("\ud83d\udc4b\u00e9"), 2);
  assert.equal(charCount("\ud83d"), 1); // a lone surrogate still counts once
});

const LIMITS = {
  maxMessageChars: 100,
  maxHistoryMessages: 4,
  maxHistoryEntryChars: 1000,
  maxBodyBytes: 1024,
};
const exchanges = (n, size = 1) =>
  Array.from({ length: n }, (_, i) => ({
    user: `u${i}`.padEnd(size, "."),
    files: [],
    answer: [`a${i}`],
  }));

test("conversation: the newest exchanges within max_history_messages", () => {
  const body = JSON.parse(hostile(() => chatBody("now", exchanges(5), LIMITS)));
  assert.equal(body.message, "now");
  assert.deepEqual(
    body.history.map((entry) => entry.content),
    ["u3", "a3", "u4", "a4"],
  );
  assert.deepEqual(
    body.history.map((entry) => entry.role),
    ["user", "assistant", "user", "assistant"],
  );
});

test("conversation: the body stays within max_body_bytes", () => {
  const limits = { ...LIMITS, maxHistoryMessages: 200 };
  const text = chatBody("\u00e9".repeat(100), exchanges(20, 200), limits);
  const size = new TextEncoder().encode(text).length;
  assert.ok(size <= 1024 && size > 1024 - 260, `size ${size}`);
  const history = JSON.parse(text).history;
  assert.equal(history.at(-2).content.slice(0, 3), "u19");
});

test("conversation: entries over max_history_entry_chars are clipped by code point", () => {
  assert.equal(clip("abcdef", 4), "abcd");
  assert.equal(clip("\ud83d\udc4b\ud83d\udc4b\ud83d\udc4b", 2), "\ud83d\udc4b\ud83d\udc4b");
  assert.equal(clip("short", 10), "short");
  const limits = { ...LIMITS, maxHistoryEntryChars: 3 };
  const body = JSON.parse(
    chatBody("now", [{ user: "hello", files: [], answer: ["a long answer"] }], limits),
  );
  assert.deepEqual(
    body.history.map((entry) => entry.content),
    ["hel", "a l"],
  );
});

test("config: missing or wrong limits fall back to the defaults", () => {
  const config = serverConfig({
    title: "  ",
    limits: { max_message_chars: -1, max_body_bytes: 9 },
  });
  assert.equal(config.title, null);
  assert.deepEqual(config.limits, {
    maxMessageChars: 16000,
    maxHistoryMessages: 200,
    maxHistoryEntryChars: 100000,
    maxBodyBytes: 9,
  });
});

test("config: the customization keys are read defensively", () => {
  const config = serverConfig(
    {
      description: 42,
      placeholder: "<strong>Hi</strong>",
      examples: [
        "Hello",
        { text: "Cool?", label: "Cool", icon: "/api/assets/x" },
        { text: 3 },
        null,
      ],
      run_examples_on_click: "yes",
      chatbot: {
        height: 300,
        max_height: "50vh; color: red",
        avatar_images: ["javascript:x", "b.png"],
      },
      textbox: { max_length: 40, lines: 3, max_lines: 2, submit_btn: "Go", stop_btn: false },
      theme: { light: { primary: "#0e7490", text: "red", radius: "1em", evil: "#000" }, dark: "x" },
      css: { not: "a string" },
    },
    "http://127.0.0.1:8000/",
  );
  assert.equal(config.description, null);
  assert.equal(config.placeholder, "<strong>Hi</strong>");
  assert.deepEqual(config.examples, [
    { text: "Hello", label: null, icon: null, files: [] },
    { text: "Cool?", label: "Cool", icon: "http://127.0.0.1:8000/api/assets/x", files: [] },
  ]);
  assert.equal(config.runExamplesOnClick, true);
  assert.equal(config.chatbot.height, "300px");
  assert.equal(config.chatbot.maxHeight, null);
  assert.deepEqual(config.chatbot.avatars, [null, "http://127.0.0.1:8000/b.png"]);
  assert.equal(config.textbox.maxLength, 40);
  assert.equal(config.textbox.maxLines, 3);
  assert.equal(config.textbox.submitBtn, "Go");
  assert.equal(config.textbox.stopBtn, false);
  assert.deepEqual({ ...config.light }, { primary: "#0e7490", radius: "1em" });
  assert.deepEqual({ ...config.dark }, {});
  assert.equal(config.css, "");
});

test("config: autoscroll, show_progress and focus_on_open, checked, with Gradio's defaults", () => {
  const defaults = serverConfig({});
  assert.equal(defaults.chatbot.autoscroll, true);
  assert.equal(defaults.chatbot.showProgress, "minimal");
  assert.equal(defaults.textbox.focusOnOpen, true);
  const set = serverConfig({
    chatbot: { autoscroll: false, show_progress: "hidden" },
    textbox: { focus_on_open: false },
  });
  assert.equal(set.chatbot.autoscroll, false);
  assert.equal(set.chatbot.showProgress, "hidden");
  assert.equal(set.textbox.focusOnOpen, false);
  const odd = serverConfig({
    chatbot: { autoscroll: "no", show_progress: "<b>full</b>" },
    textbox: { focus_on_open: 0 },
  });
  assert.equal(odd.chatbot.autoscroll, true);
  assert.equal(odd.chatbot.showProgress, "minimal");
  assert.equal(odd.textbox.focusOnOpen, true);
  assert.equal(serverConfig({ chatbot: { show_progress: "full" } }).chatbot.showProgress, "full");
});

test("theme: page properties stay in front of the palette; auto uses a media query", () => {
  const css = themeCss(
    { primary: "#0e7490" },
    { primary: "#22d3ee" },
    { on_primary: "#fff" },
    "auto",
  );
  assert.match(
    css,
    /^\.root\{--primary:var\(--chatbubble-primary,#0e7490\);--on-primary:var\(--chatbubble-on-primary,#fff\);\}/,
  );
  assert.match(
    css,
    /@media \(prefers-color-scheme:dark\)\{\.root\{color-scheme:dark;--primary:var\(--chatbubble-primary,#22d3ee\)/,
  );
  assert.doesNotMatch(themeCss({}, {}, {}, "light"), /@media|#22d3ee/);
  const page = { position: null, offsetX: 30, offsetY: 40, zIndex: 7 };
  const layout = layoutCss(page, { height: "300px", minHeight: null, maxHeight: null }, "left");
  assert.match(layout, /\.launcher\{left:30px;right:auto;bottom:40px\}/);
  assert.match(
    layout,
    /@media \(min-width:640px\)\{\.panel\{left:30px;right:auto;bottom:108px;transform-origin:bottom left;height:300px;\}\}/,
  );
  assert.match(layout, /:host\{z-index:var\(--chatbubble-z-index,7\)!important\}/);
});

test("direction: RTL locales and Chatbot(rtl=True) turn the widget; the rest reads LTR", () => {
  for (const tag of ["ar", "ar-EG", "he", "he-IL", "fa-IR", "ur", "AR"]) assert.ok(isRtl(tag), tag);
  for (const tag of ["en", "en-US", "fr", "arn", "hr", "ja", "", "her"])
    assert.ok(!isRtl(tag), tag);
  assert.equal(direction("ar", false), "rtl");
  assert.equal(direction("en", true), "rtl");
  assert.equal(direction("de-DE", false), "ltr");
  // With no locale chosen the browser's language decides: tests/e2e/test_rtl.py (he-IL).
});

test("config: app, editable and flagging (issue 4) are read defensively", () => {
  const on = serverConfig({
    app: "3f9a0c1d2e4b",
    editable: true,
    flagging: { options: ["Like", 3, "Spam", null] },
  });
  assert.equal(on.app, "3f9a0c1d2e4b");
  assert.equal(on.editable, true);
  assert.deepEqual(on.flagging, ["Like", "Spam"]);
  const off = serverConfig({ app: 7, editable: "yes", flagging: null });
  assert.equal(off.app, "");
  assert.equal(off.editable, false);
  assert.equal(off.flagging, null);
  assert.equal(serverConfig({ flagging: { options: "Like" } }).flagging, null);
});

const ID = "X".repeat(43);
const file = (extra = {}) => ({
  type: "file",
  kind: "image",
  id: ID,
  url: `http://127.0.0.1:8000/api/files/${ID}`,
  name: "cat.png",
  size: 10,
  mime: "image/png",
  alt: null,
  ...extra,
});

test("parts: only well-formed parts are kept, files need an id", () => {
  const list = parts([
    { type: "text", text: "hi" },
    file(),
    file({ id: "../../etc/passwd" }),
    file({ kind: "exe", size: -1, name: 5 }),
    { type: "gallery", items: [file(), { id: 3 }] },
    { type: "html", html: "<b>x</b>" },
    { type: "script", text: "x" },
    { type: "text", text: 5 },
    null,
  ]);
  assert.deepEqual(
    list.map((part) => part.type),
    ["text", "file", "file", "gallery", "html"],
  );
  assert.equal(list[2].kind, "file");
  assert.equal(list[2].size, 0);
  assert.equal(list[2].name, "file");
  assert.equal(list[3].items.length, 1);
  assert.equal(parts("nope"), null);
});

test("parts: history contents and the text that Copy takes", () => {
  const list = parts([
    { type: "text", text: "a" },
    file(),
    { type: "gallery", items: [file(), file()] },
    { type: "html", html: "<p>h</p>" },
    { type: "text", text: "b" },
  ]);
  assert.deepEqual(contents(list), [
    "a",
    { file: ID },
    { file: ID },
    { file: ID },
    "<p>h</p>",
    "b",
  ]);
  assert.equal(textOf(list), "a\n\nb");
});

test("conversation: files go before the visitor's text, answers one message per part", () => {
  const body = JSON.parse(
    chatBody(
      { text: "", files: ["f2"] },
      [{ user: "", files: ["f1"], answer: ["ok", { file: "a1" }] }],
      LIMITS,
    ),
  );
  assert.deepEqual(body.message, { text: "", files: ["f2"] });
  assert.deepEqual(body.history, [
    { role: "user", content: { file: "f1" } },
    { role: "assistant", content: "ok" },
    { role: "assistant", content: { file: "a1" } },
  ]);
  // Whole exchanges go when the messages are too many (3 + 2 > 4).
  const trimmed = JSON.parse(
    chatBody(
      "now",
      [
        { user: "old", files: ["f1"], answer: ["a"] },
        { user: "new", files: [], answer: ["b"] },
      ],
      LIMITS,
    ),
  );
  assert.deepEqual(
    trimmed.history.map((entry) => entry.content),
    ["new", "b"],
  );
});

test("media: URLs only from the backend's file route", () => {
  const origin = "http://127.0.0.1:8000";
  assert.equal(fileUrl(`${origin}/api/files/${ID}`, origin), `${origin}/api/files/${ID}`);
  for (const url of [
    "https://attacker.example/api/files/x",
    `${origin}/widget.js`,
    `${origin}/api/files/../../widget.js`,
    "javascript:alert(1)",
    "data:image/png;base64,AAAA",
    `/api/files/${ID}`,
    "",
  ]) {
    assert.equal(fileUrl(url, origin), null, url);
  }
  assert.equal(humanSize(512), "512 B");
  assert.equal(humanSize(48213), "47 KB");
  assert.equal(humanSize(1536 * 1024), "1.5 MB");
});

test("uploads: file_types by group and by extension", () => {
  const png = new File(["x"], "Cat.PNG", { type: "image/png" });
  const pdf = new File(["x"], "doc.pdf", { type: "application/pdf" });
  assert.ok(allowed(png, null));
  assert.ok(allowed(png, ["image"]));
  assert.ok(allowed(png, [".png"]));
  assert.ok(!allowed(pdf, ["image", "text"]));
  assert.ok(allowed(pdf, ["image", ".pdf"]));
});

test("config: multimodal options", () => {
  assert.equal(serverConfig({}).multimodal, null);
  const single = serverConfig({ multimodal: { file_count: "single", max_files: 5 } }).multimodal;
  assert.equal(single.maxFiles, 1);
  assert.deepEqual(single.sources, ["upload"]);
  assert.equal(single.fileTypes, null);
  const multiple = serverConfig({
    multimodal: {
      file_count: "multiple",
      max_files: 3,
      file_types: ["image", ".pdf", 4],
      sources: ["microphone"],
      max_file_size: 1000,
    },
  }).multimodal;
  assert.deepEqual(multiple, {
    maxFiles: 3,
    fileTypes: ["image", ".pdf"],
    sources: ["microphone"],
    maxFileSize: 1000,
  });
});

test("conversation: the page goes as one `page` object, and none when it is off", () => {
  const page = {
    url: "https://shop.example/a?x=1",
    title: "Shop",
    lang: "fr",
    referrer: "",
    context: { plan: "pro" },
  };
  assert.deepEqual(
    JSON.parse(chatBody("hi", [], LIMITS, null, null, page, "s-12345678")).page,
    page,
  );
  const off = JSON.parse(chatBody("hi", [], LIMITS, null, null, undefined, "s-12345678"));
  assert.equal("page" in off, false);
  assert.equal(off.session, "s-12345678");
});
