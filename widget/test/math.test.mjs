// The math tokenizer (render/math.ts) with marked, in Node: which text becomes a formula, which
// stays text (code, an unclosed delimiter while the answer streams), and the config's check.

import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "./bundle.mjs";

const { delimitersOf, mathExtensions, Lexer, Parser, getDefaults } = await load(`
      export { delimitersOf, mathExtensions } from "./render/math";
      export { Lexer, Parser, getDefaults } from "marked";
    `);

const DEFAULT = delimitersOf([{ left: "$$", right: "$$", display: true }]);

// As markdown.ts runs marked: its Lexer and Parser, the extensions in their registered form.
function html(source, delimiters = DEFAULT) {
  const options = {
    ...getDefaults(),
    extensions: mathExtensions(
      () => delimiters,
      (tex, display) => `[${display ? "D" : "I"}:${tex}]`,
    ),
  };
  return Parser.parse(Lexer.lex(source, options), options);
}

test("display math inline in a paragraph and on lines of its own", () => {
  assert.equal(html("So $$\\int x\\,dx$$ it is."), "<p>So [D:\\int x\\,dx] it is.</p>\n");
  assert.equal(html("$$\na\n- b\n# c\n$$\n\nafter"), "[D:\na\n- b\n# c\n]<p>after</p>\n");
});

test("code never holds math, and an unclosed delimiter stays text", () => {
  assert.equal(html("`$$x$$` and $$y$$"), "<p><code>$$x$$</code> and [D:y]</p>\n");
  assert.equal(html("```\n$$x$$\n```"), "<pre><code>$$x$$\n</code></pre>\n");
  assert.equal(html("streaming $$\\frac{a}{"), "<p>streaming $$\\frac{a}{</p>\n");
  assert.equal(html("costs $5 and $$ $$"), "<p>costs $5 and $$ $$</p>\n");
});

test("custom delimiters, the longest first; none turns math off", () => {
  const both = delimitersOf([
    { left: "$", right: "$", display: false },
    { left: "$$", right: "$$", display: true },
    { left: "\\(", right: "\\)" },
  ]);
  assert.deepEqual(
    both.map((d) => d.left),
    ["$$", "\\(", "$"],
  );
  assert.equal(html("$a$, $$b$$ and \\(c\\)", both), "<p>[I:a], [D:b] and [I:c]</p>\n");
  assert.equal(html("$$x$$", []), "<p>$$x$$</p>\n");
  assert.deepEqual(delimitersOf("$$"), []);
  assert.deepEqual(
    delimitersOf([
      { left: "", right: "$" },
      { left: 1, right: "$" },
    ]),
    [],
  );
});
