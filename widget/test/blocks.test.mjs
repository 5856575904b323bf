// Unit tests for the blocks chunk's pure helpers (durations, JSON text) and the core's hooks for
// it (parts keep metadata and options, the `inputs` of a chat request), run with
// `node --test widget/test/`. The DOM is covered by tests/e2e/test_steps.py.

import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "./bundle.mjs";

const { seconds, pretty, hasExtra, parts, chatBody, lend, t } = await load(`
      export { seconds } from "./steps/render";
      export { lend } from "./translate";
      export { t } from "./i18n";
      export { pretty } from "./artifacts/pane";
      export { hasExtra, parts } from "./parts";
      export { chatBody } from "./conversation";
    `);

// What the core does at a chunk's hand-over: it lends the chunk its `t`.
lend(t);

test("durations read as seconds, minutes past a minute", () => {
  assert.equal(seconds(0.05), "0.05 s");
  assert.equal(seconds(0.1), "0.1 s");
  assert.equal(seconds(1.23456), "1.2 s");
  assert.equal(seconds(9.96), "10 s");
  assert.equal(seconds(12.4), "12 s");
  assert.equal(seconds(0), "0 s");
  assert.equal(seconds(125), "2 min 5 s");
});

test("JSON outputs are pretty-printed from own data only", () => {
  assert.equal(
    pretty({ a: [1, "x", null], b: {} }),
    '{\n  "a": [\n    1,\n    "x",\n    null\n  ],\n  "b": {}\n}',
  );
  assert.equal(pretty([]), "[]");
  assert.equal(pretty(Infinity), "null");
  const polluted = JSON.parse('{"x": [1]}');
  Array.prototype.toJSON = () => "oops";
  try {
    assert.equal(pretty(polluted), '{\n  "x": [\n    1\n  ]\n}');
  } finally {
    delete Array.prototype.toJSON;
  }
});

test("parts keep their metadata and options", () => {
  const metadata = { title: "Using a tool", id: "1", status: "pending" };
  const options = [{ value: "Yes, that's correct.", label: "Yes" }];
  const got = parts([
    { type: "text", text: "a", metadata },
    { type: "text", text: "b", options },
    { type: "text", text: "c" },
    { type: "bogus", metadata },
  ]);
  assert.deepEqual(got, [
    { type: "text", text: "a", metadata },
    { type: "text", text: "b", options },
    { type: "text", text: "c" },
  ]);
  assert.deepEqual(got.map(hasExtra), [true, true, false]);
});

test("chat requests carry the additional inputs", () => {
  const limits = {
    maxMessageChars: 100,
    maxHistoryMessages: 10,
    maxHistoryEntryChars: 100,
    maxBodyBytes: 10000,
  };
  assert.deepEqual(JSON.parse(chatBody("hi", [], limits, null, ["Be brief.", 42])), {
    message: "hi",
    inputs: ["Be brief.", 42],
    resumable: true,
    history: [],
  });
  assert.deepEqual(JSON.parse(chatBody("hi", [], limits, 0, null)), {
    message: "hi",
    example: 0,
    resumable: true,
    history: [],
  });
});
