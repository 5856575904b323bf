// The `<chat-bubble>` element's module (widget/npm/element.ts) outside a browser: importing it in
// Node (server-side rendering) defines nothing and throws nothing, and its attributes are the
// script tag's data attributes without `data-` (read from widget/src, so they cannot drift). The
// element itself is covered by tests/e2e/test_npm_element.py.

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const npm = fileURLToPath(new URL("../npm/", import.meta.url));
const src = fileURLToPath(new URL("../src/", import.meta.url));

async function importElement() {
  const built = await esbuild.build({
    entryPoints: [npm + "element.ts"],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "error",
  });
  const code = Buffer.from(built.outputFiles[0].contents).toString("base64");
  return import("data:text/javascript;base64," + code);
}

test("importing the element in Node touches no DOM and defines nothing", async () => {
  assert.equal(typeof globalThis.HTMLElement, "undefined");
  assert.equal(typeof globalThis.customElements, "undefined");
  const element = await importElement();
  assert.equal(typeof element.ChatBubbleElement, "function");
  assert.equal(element.define(), undefined);
  assert.equal(element.define("help-chat"), undefined);
});

test("its attributes are the script tag's data attributes, `server` for `backend`", async () => {
  const { ATTRIBUTES } = await importElement();
  const data = new Set();
  const files = readdirSync(src, { recursive: true }).filter((name) => name.endsWith(".ts"));
  for (const name of files) {
    const text = readFileSync(src + name, "utf8");
    for (const [, found] of text.matchAll(/getAttribute\("data-([a-z-]+)"\)/g)) data.add(found);
    if (name === "page-config.ts") {
      for (const [, found] of text.matchAll(/\bread\(\s*"([a-z-]+)"/g)) data.add(found);
    }
  }
  assert.ok(data.has("mode") && data.has("user-token") && data.has("strings"), [...data]);
  data.delete("backend");
  data.delete("target"); // an inline chat fills the element itself
  assert.deepEqual([...ATTRIBUTES].sort(), ["server", ...data].sort());
});
