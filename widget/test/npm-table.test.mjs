// The table of docs/npm.md against the sources: every `data-*` attribute the widget reads
// (page-config.ts, page-context.ts, i18n.ts) has a row whose `mount` option exists in
// MountOptions (widget/npm/types.ts); every handle method (ChatHandle) and event (EventMap) has
// a row. Run with `node --test widget/test/`.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const root = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, root), "utf8");
const doc = read("docs/npm.md");
const types = read("widget/npm/types.ts");

/** The rows of the markdown table whose header starts with `first`, as arrays of cells. */
function table(first) {
  const lines = doc.split("\n");
  const start = lines.findIndex((line) => new RegExp(`^\\| ${first} +\\|`).test(line));
  assert.ok(start >= 0, `docs/npm.md has no table starting with "${first}"`);
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}
/** The members of `interface name { ... }` in types.ts. */
function members(name) {
  const body = new RegExp(`interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(types);
  assert.ok(body, `types.ts has no interface ${name}`);
  return [...body[1].matchAll(/^ {2}(?:readonly )?(\w+)[?(<:]/gm)].map((match) => match[1]);
}

/** Every data attribute the widget reads from its script tag. */
function attributesRead() {
  const names = new Set();
  for (const file of ["page-config.ts", "page-context.ts", "i18n.ts"]) {
    const source = read(`widget/src/${file}`);
    for (const [, name] of source.matchAll(/"(data-[a-z][a-z-]*)"/g)) names.add(name);
    if (file === "page-config.ts")
      for (const [, name] of source.matchAll(/\bread\("([a-z][a-z-]*)"/g))
        names.add(`data-${name}`);
  }
  return names;
}

const settings = table("data attribute");
const options = members("MountOptions");

test("the sources are parsed (a renamed reader would empty the list)", () => {
  const names = attributesRead();
  for (const name of [
    "data-mode",
    "data-user-token",
    "data-context",
    "data-strings",
    "data-z-index",
  ])
    assert.ok(names.has(name), name);
});

test("every data attribute the widget reads has a row and a MountOptions option", () => {
  for (const name of attributesRead()) {
    const row = settings.find((cells) => cells[0].startsWith(`\`${name}`));
    assert.ok(row, `docs/npm.md has no row for ${name}`);
    const option = /^`(\w+)/.exec(row[1]);
    assert.ok(option, `${name}: the row names no mount option`);
    assert.ok(options.includes(option[1]), `${name}: MountOptions has no "${option[1]}"`);
  }
});

test("every mount option has a row", () => {
  for (const option of options) {
    assert.ok(
      settings.some((cells) => cells[1].startsWith(`\`${option}`)),
      `docs/npm.md has no row for the option ${option}`,
    );
  }
});

test("every handle method has a row", () => {
  const methods = members("ChatHandle");
  assert.ok(methods.includes("destroy") && methods.includes("on"));
  for (const method of methods) {
    assert.ok(
      settings.some((cells) => new RegExp(`\`${method}\\b`).test(cells[3])),
      `docs/npm.md has no row for the handle's ${method}`,
    );
  }
});

test("every event has a row", () => {
  const events = table("event").map((cells) => cells[0].replace(/`/g, ""));
  const typed = members("EventMap");
  assert.deepEqual([...events].sort(), [...typed].sort());
  const widget = /NAMES: readonly string\[\] = \[([^\]]*)\]/.exec(read("widget/src/events.ts"));
  assert.deepEqual(JSON.parse(`[${widget[1]}]`).sort(), [...typed].sort());
});
