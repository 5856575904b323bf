// The widget's message catalog (widget/locales/*.json, widget/src/i18n.ts): every locale has
// every key of en.json with the same placeholders and the plural forms its language needs; `t`,
// locale matching and overrides; and a scan of widget/src for UI text left outside the catalog.
//
// The scan (`uiLiterals`) reads each module as esbuild prints it (comments gone, every string
// double-quoted) and reports string and template literals that are UI text:
//   - in a UI position: the value of `aria-label`, `title`, `placeholder` or `alt` (as an
//     attribute object key, `setAttribute(...)` or an assignment), of `textContent`, the text
//     child of `el(...)`, or the text argument of `notice`, `note`, `said`, `action`, `tool`,
//     `button`, `caption`, `group` and `apiError`;
//   - anywhere: a literal that reads as words (a capital then a small letter and a space, or
//     three small words in a row) and is no CSS, no header name, no list of names.
// Key names are snake_case, so `t("composer_send")` never matches. ALLOW holds what matches but
// is no UI text (protocol values, CSS, attribute lists).

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { load } from "./bundle.mjs";

const widget = fileURLToPath(new URL("..", import.meta.url));
const locales = join(widget, "locales");
const en = JSON.parse(readFileSync(join(locales, "en.json"), "utf8"));
const files = readdirSync(locales).filter((name) => name.endsWith(".json"));

const { t, match, choose, use, override, SUPPORTED } = await load(`
  export { t, match, choose, use, override, SUPPORTED } from "./i18n";
`);

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** en.json's plural keys by base ("unread_badge" → ["one", "other"]) and its plain keys. */
const plurals = new Map();
const plain = [];
for (const key of Object.keys(en)) {
  const dot = key.indexOf(".");
  if (dot < 0) plain.push(key);
  else
    plurals.set(key.slice(0, dot), [...(plurals.get(key.slice(0, dot)) || []), key.slice(dot + 1)]);
}

test("en.json: snake_case keys, plural keys with one and other, strings", () => {
  for (const [key, value] of Object.entries(en)) {
    assert.match(key, /^[a-z][a-z0-9_]*(\.(zero|one|two|few|many|other))?$/, key);
    assert.equal(typeof value, "string", key);
    assert.doesNotMatch(value, /<[a-z]/i, `${key}: no HTML`);
  }
  for (const [base, forms] of plurals) assert.deepEqual(forms.sort(), ["one", "other"], base);
  assert.ok(Object.keys(en).length >= 90);
});

test("every locale file is a supported locale with every key and the same placeholders", () => {
  assert.equal(SUPPORTED.length, 45);
  for (const file of files) {
    const code = file.slice(0, -5);
    assert.ok(SUPPORTED.includes(code), `${file}: not in SUPPORTED`);
    const strings = JSON.parse(readFileSync(join(locales, file), "utf8"));
    const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
    for (const key of plain) {
      assert.equal(typeof strings[key], "string", `${file}: ${key} missing`);
      assert.deepEqual(placeholders(strings[key]), placeholders(en[key]), `${file}: ${key}`);
    }
    for (const base of plurals.keys()) {
      const wanted = placeholders(en[base + ".other"]);
      for (const category of categories) {
        const value = strings[base + "." + category];
        assert.equal(typeof value, "string", `${file}: ${base}.${category} missing`);
        const found = placeholders(value);
        // A form for one number ("one", "zero", "two") may say the number in words.
        const needed =
          category === "other" || category === "few" || category === "many"
            ? wanted
            : wanted.filter((name) => name !== "count");
        for (const name of needed)
          assert.ok(found.includes(name), `${file}: ${base}.${category} lacks {${name}}`);
        for (const name of found)
          assert.ok(wanted.includes(name), `${file}: ${base}.${category} has {${name}}`);
      }
    }
    for (const key of Object.keys(strings)) {
      const [base, category] = key.split(".");
      const known = category ? plurals.has(base) && categories.includes(category) : key in en;
      assert.ok(known, `${file}: unknown key ${key}`);
    }
  }
});

test("t fills placeholders, formats numbers, picks plural forms, falls back to English", () => {
  assert.equal(t("composer_send"), "Send");
  assert.equal(t("history_delete_named", { name: "Trip" }), "Delete Trip");
  assert.equal(t("unread_badge", { count: 1 }), "1 unread answer");
  assert.equal(t("unread_badge", { count: 1234 }), "1,234 unread answers");
  assert.equal(t("no_such_key"), "no_such_key");
  assert.equal(t("chunk_key", undefined, { chunk_key: "From a chunk" }), "From a chunk");
  use("de", { composer_send: "Senden", "unread_badge.one": "{count} ungelesene Antwort" });
  try {
    assert.equal(t("composer_send"), "Senden");
    assert.equal(t("composer_stop"), "Stop"); // missing in the locale: English
    assert.equal(t("unread_badge", { count: 1 }), "1 ungelesene Antwort");
    assert.equal(t("unread_badge", { count: 1234 }), "1.234 unread answers"); // .other: English, German digits
    assert.ok(override({ composer_send: "Fragen", composer_stop: 3 }));
    assert.equal(t("composer_send"), "Fragen");
    assert.equal(t("composer_stop"), "Stop");
    assert.equal(override("nope"), false);
  } finally {
    use("en", {});
  }
});

test("locale matching: exact, by alias, by language, case-insensitive, else none", () => {
  assert.equal(match("pt-BR"), "pt-BR");
  assert.equal(match("PT-br"), "pt-BR");
  assert.equal(match("pt"), "pt-BR");
  assert.equal(match("pt-PT"), "pt-PT");
  assert.equal(match("de-DE"), "de");
  assert.equal(match("zh"), "zh-CN");
  assert.equal(match("zh-Hans"), "zh-CN");
  assert.equal(match("zh-SG"), "zh-CN");
  assert.equal(match("zh-HK"), "zh-TW");
  assert.equal(match("zh-Hant"), "zh-TW");
  assert.equal(match("zh-Hant-HK"), "zh-TW");
  assert.equal(match("iw"), "he");
  assert.equal(match("no"), "nb");
  assert.equal(match("nb-NO"), "nb");
  assert.equal(match("en_GB"), "en");
  assert.equal(match("kl-GL"), null);
  assert.equal(choose([null, "xx", "fr-CA", "de"]), "fr");
  assert.equal(choose(["kl"]), "en");
});

/** String and template literals of a module that are UI text (see the top of this file). */
const ALLOW = new Set([
  "Like", // the thumbs' flag values (protocol; their labels are catalog strings)
  "Dislike",
  "Files", // DataTransfer type
  "Escape",
  "Enter",
  "Tab",
  "ArrowDown",
  "ArrowUp",
  "ArrowLeft",
  "ArrowRight",
  "NotAllowedError",
  "SecurityError",
  "NotFoundError",
  "QuotaExceededError",
  "Accept",
  "Authorization",
  "Content-Type",
  "Bearer ",
  "X-Visitor-Key",
  "X-Chatbubble-User",
  "P",
  "KB",
  "MB",
  "GB",
  "TB",
]);
const UI_ATTR = String.raw`(?:"aria-label"|"title"|"placeholder"|"alt"|\btitle|\bplaceholder|\balt|\btextContent)`;
const STRING = String.raw`("(?:[^"\\\n]|\\.)*"|\x60[^\x60]*\x60)`;
const POSITIONS = [
  new RegExp(UI_ATTR + String.raw`\s*[:=]\s*` + STRING, "g"),
  new RegExp(
    String.raw`setAttribute\(\s*"(?:aria-label|title|placeholder|alt)"\s*,\s*` + STRING,
    "g",
  ),
  new RegExp(String.raw`\bel\(\s*"[a-z0-9]+"\s*,[^;]{0,300}?\[\s*` + STRING, "g"),
  new RegExp(
    String.raw`\b(?:notice|note|said|action|tool|button|caption|group)\(\s*(?:[^,()]{1,40},\s*)?` +
      STRING,
    "g",
  ),
  new RegExp(String.raw`\bapiError\([^,]*,[^,]*,\s*` + STRING, "g"),
];
const ANYWHERE = new RegExp(STRING, "g");
/** A literal's text (escapes decoded; a template's `${...}` left out). */
const text = (literal) =>
  literal[0] === '"'
    ? JSON.parse(literal.replace(/\\x([0-9a-fA-F]{2})/g, "\\u00$1").replace(/\\0/g, "\\u0000"))
    : literal.slice(1, -1).replace(/\$\{[^}]*\}/g, "");
/** Before a literal: a class name or `rel` (no words), or a message for developers (English). */
const NOT_UI = /(?:\bclass(?:Name)?\s*[:=]\s*|"rel",\s*|\b(?:Error|report|warn)\([^;\n]*)$/;
const notUi = (code, m) =>
  NOT_UI.test(code.slice(Math.max(0, m.index - 200), m.index + m[0].length - m[1].length));
const words = (value) =>
  (/^[A-Z][a-z]+[ ,.:!?…]/.test(value) ||
    /\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b/.test(value) ||
    (/[a-z]{3,}[.!?…]$/.test(value) && / /.test(value))) &&
  !/[{};]|:\S|^[\w-]+(?: [\w-]+){3,}$/.test(value); // CSS, or a list of names
export function uiLiterals(source) {
  const code = esbuild.transformSync(source, { loader: "ts" }).code;
  const found = new Set();
  for (const pattern of POSITIONS) {
    for (const m of code.matchAll(pattern)) {
      const value = text(m[1]);
      if (/[A-Za-z]/.test(value) && !ALLOW.has(value) && !notUi(code, m)) found.add(value);
    }
  }
  for (const m of code.matchAll(ANYWHERE)) {
    const value = text(m[1]);
    if (words(value) && !ALLOW.has(value) && !notUi(code, m)) found.add(value);
  }
  return [...found];
}

test("the scan finds UI text", () => {
  const samples = [
    ['el("button", { type: "button" }, ["Send"]);', "Send"],
    ['const b = el("span", { class: "note" }, [\n  "Loading\\u2026"]);', "Loading\u2026"],
    ['el("button", { class: "x" }, ["\\u00d7"]);', null],
    ['report("chatbubble: the storage is full");', null],
    ['throw new Error("no media devices");', null],
    ['x = { "aria-label": "Close chat" };', "Close chat"],
    ['button.setAttribute("aria-label", open ? t("a") : "Open");', null],
    ['button.setAttribute("title", "Open chat");', "Open chat"],
    ['note.textContent = "Browser storage is full.";', "Browser storage is full."],
    ['host.notice("Please wait.");', "Please wait."],
    [
      "host.notice(`You can attach up to ${max} files to a message.`);",
      "You can attach up to  files to a message.",
    ],
    ['return "No microphone was found.";', "No microphone was found."],
    ['apiError("network", 0, "Offline");', "Offline"],
    ['el("div", { class: "grip right" });', null],
    ["const css = `.panel{bottom:${y}px;}`;", null],
    ['headers["Content-Type"] = "application/json";', null],
    ['t("composer_send");', null],
  ];
  for (const [source, expected] of samples) {
    assert.deepEqual(uiLiterals(source), expected === null ? [] : [expected], source);
  }
});

test("no UI text in widget/src outside the catalog", () => {
  const left = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        for (const value of uiLiterals(readFileSync(path, "utf8"))) left.push(`${path}: ${value}`);
      }
    }
  };
  walk(join(widget, "src"));
  assert.deepEqual(left, []);
});

test("every key the sources name is in en.json", () => {
  const missing = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) {
        for (const m of readFileSync(path, "utf8").matchAll(/\bt\(\s*"([a-z0-9_]+)"/g)) {
          if (!(m[1] in en) && !(m[1] + ".other" in en)) missing.push(`${path}: ${m[1]}`);
        }
      }
    }
  };
  walk(join(widget, "src"));
  assert.deepEqual(missing, []);
});

test("a locale addresses the visitor one way throughout (formal German and Catalan)", () => {
  // Keys added after the first translation slipped into the informal form ("dein", "teus").
  const informal = {
    de: /\b(?:du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b/i,
    ca: /(?:^|[\s'])(?:teu|teus|teva|teves|et)\b/i,
  };
  for (const [code, pattern] of Object.entries(informal)) {
    const strings = JSON.parse(readFileSync(join(locales, code + ".json"), "utf8"));
    const found = Object.entries(strings).filter(([, value]) => pattern.test(value));
    assert.deepEqual(found, [], code);
  }
});
