// Builds the widget: widget/src/index.ts → backend/static/widget.js (the core), one minified IIFE
// with the stylesheet inlined as a minified string, and the chunks loaded on first use. Prints
// each input's share of the core, its raw, gzip and brotli sizes and each chunk's, and fails when
// the core or a chunk with a budget is over it, when marked or markdown.ts end up anywhere but
// the panel chunk or DOMPurify anywhere but the purify chunk, and when the core lends the panel
// what it never imports.
//
//   node widget/build.mjs          build, report, enforce the budget
//   node widget/build.mjs --size   the same report, for `make size`

import { readFileSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { minify } from "terser";

/** What every visitor downloads (the core), gzipped. Raising it is a CHANGELOG line. */
const MAX_GZIP_BYTES = 16 * 1024;
/** Chunks with a budget of their own, gzipped: the panel comes with the chat's first opening
 * (purify after it, in browsers without the HTML Sanitizer API). */
const CHUNK_BUDGETS = { panel: 28 * 1024, purify: 12 * 1024, math: 84 * 1024 };
/** The panel chunk alone holds the markdown renderer and the sanitizer's policy, the purify
 * chunk alone DOMPurify (one copy of each). */
const RENDER_ONLY = /(?:^|\/)marked\/|(?:^|\/)src\/markdown\.ts$/;
const PURIFY_ONLY = /(?:^|\/)dompurify\//;

const root = fileURLToPath(new URL("..", import.meta.url));

/** Brotli at its best level, as the server sends to browsers that accept it. */
const brotli = (bytes) =>
  brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
/** A script the server sends, and its brotli copy beside it (`<file>.br`, written after it: the
 * server ignores a copy older than its script). */
async function writeScript(file, code) {
  const bytes = typeof code === "string" ? Buffer.from(code) : code;
  await writeFile(file, bytes);
  await writeFile(`${file}.br`, brotli(bytes));
}
const outfile = `${root}backend/static/widget.js`;
const pkg = JSON.parse(await readFile(`${root}package.json`, "utf8"));

/** `import css from "./styles.css"` → the stylesheet, minified, as a string. */
const cssAsText = {
  name: "css-as-text",
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const { code } = await esbuild.transform(source, { loader: "css", minify: true });
      return { contents: code.trim(), loader: "text" };
    });
  },
};

/**
 * marked without its default instance: the module makes a `new Marked()` when it loads (for
 * `marked()`, `marked.use`...), which keeps the Marked class and its extension machinery in the
 * panel chunk (~1.4 KB brotli); markdown.ts runs marked's Lexer and Parser itself. The module is
 * cut where its last source (marked.ts) begins, at the statement making that instance, and
 * exports Lexer and Parser alone. A marked whose bundle no longer has that shape fails the build.
 */
const markedCore = {
  name: "marked-core",
  setup(build) {
    build.onLoad({ filter: /[\\/]marked[\\/]lib[\\/]marked\.esm\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const exported = /export\{([^}]*)\};?\s*(?:\/\/# sourceMappingURL=\S*\s*)?$/.exec(source);
      const names = Object.fromEntries(
        (exported ? exported[1].split(",") : []).map((pair) => pair.split(" as ").reverse()),
      );
      const escape = (name) => String(name).replace(/\$/g, "\\$");
      const instance = new RegExp(`var [\\w$]+=new ${escape(names.Marked)};`).exec(source);
      if (
        !exported ||
        !names.Lexer ||
        !names.Parser ||
        !instance ||
        instance.index > exported.index ||
        source.indexOf(instance[0], instance.index + 1) >= 0
      ) {
        throw new Error(`${args.path}: not the shape widget/build.mjs cuts (its default instance)`);
      }
      const kept = await withoutPedantic(source.slice(0, instance.index), args.path);
      const contents = `${kept}export{${names.Lexer} as Lexer,${names.Parser} as Parser};`;
      return { contents, loader: "js" };
    });
  },
};

/**
 * marked without its pedantic rule sets (the `pedantic` option, the original markdown.pl's quirks,
 * which markdown.ts never sets; ~0.3 KB brotli): marked's rule tables name each by `pedantic:<x>`,
 * an object literal made once when marked loads, which becomes `{}`. Each must be defined once
 * and named nowhere else, and the result must parse; a marked of another shape fails the build.
 */
async function withoutPedantic(code, path) {
  let out = code;
  const names = [...new Set([...code.matchAll(/pedantic:([\w$]+)\}/g)].map((found) => found[1]))];
  if (names.length !== 2) throw new Error(`${path}: not two pedantic rule sets (${names})`);
  for (const name of names) {
    const escaped = name.replace(/\$/g, "\\$");
    const named = out.match(new RegExp(`(?<![\\w$.])${escaped}(?![\\w$])`, "g")) || [];
    const defined = new RegExp(`([,;])${escaped}=\\{`).exec(out);
    if (!defined || named.length !== 2) {
      throw new Error(`${path}: pedantic rules ${name} are not defined once and used once`);
    }
    // The literal ends at the brace balancing its first one (the parse below checks the cut).
    let end = defined.index + defined[0].length - 1;
    for (let depth = 0; end < out.length; end++) {
      if (out[end] === "{") depth++;
      else if (out[end] === "}" && --depth === 0) break;
    }
    out = `${out.slice(0, defined.index + 1)}${name}={}${out.slice(end + 1)}`;
  }
  await esbuild.transform(out, { loader: "js", logLevel: "silent" });
  return out;
}

// The modules the core lends the panel chunk (src/shell/lent.ts): the panel's build reads them
// from the page's shared hand-over object instead of bundling a copy, under the key of the lent
// code (`__LIB__`: a hash of lent.ts and every source it bundles, and the version). A panel
// fetched after a deploy by a page whose core came from the browser's cache (a stale script is
// used while it is revalidated) then runs on that core unless the lent code itself changed; if
// it did, the panel fails to load, as an unreachable one does, until the page is loaded again.
const lentBuild = await esbuild.build({
  absWorkingDir: root,
  entryPoints: [`${root}widget/src/shell/lent.ts`],
  bundle: true,
  format: "esm",
  write: false,
  metafile: true,
  logLevel: "warning",
});
const lentHash = createHash("sha256").update(pkg.version);
for (const file of Object.keys(lentBuild.metafile.inputs).sort()) {
  lentHash.update(file).update(await readFile(`${root}${file}`));
}
const LIB = lentHash.digest("hex").slice(0, 12);
/** What the core lends, by module: the names, in order (src/shell/lent.ts). */
const lentNames = Object.fromEntries(
  [
    ...readFileSync(`${root}widget/src/shell/lent.ts`, "utf8").matchAll(
      /^  (\w+): \[([^\]]*)\],$/gm,
    ),
  ].map(([, name, list]) => [name, list.split(",").map((item) => item.trim())]),
);
/** The lent modules' files (widget/src/<name>.ts, a name of lent.ts's). */
const LENT_FILE = new RegExp(
  `[\\\\/]widget[\\\\/]src[\\\\/](${Object.keys(lentNames).join("|")})\\.ts$`,
);
if (!Object.keys(lentNames).length) throw new Error("src/shell/lent.ts: no lent modules found");
/** In the panel's build: each lent module is the values the core lends (by index). */
const lentModules = {
  name: "lent-modules",
  setup(build) {
    // One read of the loan for the whole chunk; each lent module is its values from it.
    build.onResolve({ filter: /^chatbubble:loan$/ }, () => ({ path: "loan", namespace: "lent" }));
    build.onLoad({ filter: /^loan$/, namespace: "lent" }, () => ({
      contents: `export const loan=window.chatbubble[Symbol.for("chatbubble.page")].libs[${JSON.stringify(LIB)}];`,
      loader: "js",
    }));
    build.onLoad({ filter: LENT_FILE }, (args) => {
      const name = LENT_FILE.exec(args.path)[1];
      const values = lentNames[name].map((item, i) => `${item}=m[${i}]`);
      return {
        contents: `import{loan}from"chatbubble:loan";const m=loan.${name};export const ${values};`,
        loader: "js",
        resolveDir: root,
      };
    });
  },
};

const options = {
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["chrome92", "firefox90", "safari15"],
  minify: true,
  charset: "ascii",
  legalComments: "eof",
  define: {
    __DEV__: "false",
    __VERSION__: JSON.stringify(pkg.version),
    __LIB__: JSON.stringify(LIB),
  },
  plugins: [cssAsText, markedCore],
  metafile: true,
  write: false,
  logLevel: "warning",
};
/**
 * A second pass over esbuild's minified output: terser's compressor saves about 3% more gzip
 * (mostly in marked and DOMPurify). Legal comments ("/*!") stay; the output stays ASCII.
 */
async function squeeze(bytes) {
  const { code } = await minify(new TextDecoder().decode(bytes), {
    ecma: 2020,
    compress: { passes: 2 },
    format: { ascii_only: true, comments: "some" },
  });
  return new TextEncoder().encode(code);
}

// The message catalog (widget/locales/en.json) is split by use: each bundle gets the English of
// the keys its code names (a key `k` also brings its plural forms `k.<category>`), and a chunk
// only those the core does not carry (the core lends the chunks its `t`: translate.ts).
const english = JSON.parse(await readFile(`${root}widget/locales/en.json`, "utf8"));
/** The catalog keys named as string literals in the widget sources among `inputs`. */
function keysIn(inputs) {
  const keys = new Set();
  for (const path of inputs) {
    if (!/^widget\/src\/.*\.ts$/.test(path)) continue;
    for (const [, name] of readFileSync(root + path, "utf8").matchAll(/"([a-z][a-z0-9_]*)"/g)) {
      for (const key of Object.keys(english)) {
        if (key === name || key.startsWith(name + ".")) keys.add(key);
      }
    }
  }
  return keys;
}
const catalogPart = (keys) => ({
  name: "catalog-part",
  setup(build) {
    build.onLoad({ filter: /[\\/]locales[\\/]en\.json$/ }, () => ({
      contents: JSON.stringify(Object.fromEntries([...keys].map((key) => [key, english[key]]))),
      loader: "json",
    }));
  },
});
/** Builds `entry` with its share of the catalog (none of `taken`); returns it and the keys.
 * `extra`: more plugins (the panel's `lentModules`). */
async function buildWithCatalog(entry, taken = new Set(), extra = []) {
  const first = await esbuild.build({
    ...options,
    plugins: [...options.plugins, ...extra],
    entryPoints: [entry],
  });
  const inputs = Object.keys(first.metafile.inputs);
  if (!inputs.some((path) => path.endsWith("locales/en.json"))) return [first, new Set()];
  const keys = new Set([...keysIn(inputs)].filter((key) => !taken.has(key)));
  const plugins = [cssAsText, markedCore, ...extra, catalogPart(keys)];
  return [await esbuild.build({ ...options, plugins, entryPoints: [entry] }), keys];
}

const [result, coreKeys] = await buildWithCatalog(`${root}widget/src/index.ts`);

const code = await squeeze(result.outputFiles[0].contents);
await mkdir(dirname(outfile), { recursive: true });
await writeScript(outfile, code);

// Chunks: parts of the widget loaded on first use (GET /widget/<name>.js), outside the core.
const chunks = {
  panel: `${root}widget/src/panel/index.ts`,
  purify: `${root}widget/src/purify/index.ts`,
  extras: `${root}widget/src/extras/index.ts`,
  media: `${root}widget/src/media/index.ts`,
  uploads: `${root}widget/src/uploads/index.ts`,
  recorder: `${root}widget/src/recorder/index.ts`,
  blocks: `${root}widget/src/blocks/index.ts`,
  highlight: `${root}widget/src/highlight/index.ts`,
  login: `${root}widget/src/login/index.ts`,
  math: `${root}widget/src/math/index.ts`,
  nudges: `${root}widget/src/nudges/index.ts`,
  consent: `${root}widget/src/consent/index.ts`,
  progress: `${root}widget/src/progress/index.ts`,
};
/**
 * The panel chunk's code inside a try: a panel that cannot run on the page's core (no lent
 * modules for its build) stops with a warning instead of throwing into the host page; the core
 * then treats it as a chunk that did not load.
 */
function guarded(built) {
  const code = new TextDecoder().decode(built.outputFiles[0].contents);
  const strict = code.startsWith('"use strict";') ? '"use strict";' : "";
  const body = code.slice(strict.length);
  const warn = 'catch(e){try{console.warn("chatbubble:",e)}catch(_){}}';
  return new TextEncoder().encode(`${strict}try{${body}}${warn}`);
}
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(9);
const failures = [];
/** The inputs of a build's one output, with the bytes each put in it. */
const inputsOf = (built) => Object.entries(Object.values(built.metafile.outputs)[0].inputs);
const misplaced = (name, built) => {
  for (const [path, { bytesInOutput }] of inputsOf(built)) {
    const only = RENDER_ONLY.test(path) ? "panel.js" : PURIFY_ONLY.test(path) ? "purify.js" : name;
    if (bytesInOutput > 0 && only !== name) failures.push(`${name} bundles ${path}`);
  }
};
misplaced("widget.js", result);
/** What the core lends that the panel's sources never import: each would still be read from the
 * loan in the panel (and kept in the core for nothing), so lent.ts must not list it. */
function unusedLoans(built) {
  const imported = new Set();
  for (const [path] of inputsOf(built)) {
    if (!/^widget\/src\/.*\.ts$/.test(path) || LENT_FILE.test("/" + path)) continue;
    const source = readFileSync(root + path, "utf8");
    for (const [, names, module] of source.matchAll(
      /import\s*\{([^}]*)\}\s*from\s*"[^"]*\/(\w+)"/g,
    )) {
      for (const item of names.split(",")) {
        const name = item.trim().split(/\s+as\s+/)[0];
        if (name && !name.startsWith("type ")) imported.add(`${module}.${name}`);
      }
    }
  }
  return Object.entries(lentNames).flatMap(([module, names]) =>
    names.map((name) => `${module}.${name}`).filter((name) => !imported.has(name)),
  );
}

for (const [name, entry] of Object.entries(chunks)) {
  const [built] = await buildWithCatalog(entry, coreKeys, name === "panel" ? [lentModules] : []);
  const chunk = await squeeze(name === "panel" ? guarded(built) : built.outputFiles[0].contents);
  const chunkFile = `${root}backend/static/chunks/${name}.js`;
  await mkdir(dirname(chunkFile), { recursive: true });
  await writeScript(chunkFile, chunk);
  misplaced(`${name}.js`, built);
  if (name === "panel") {
    const unused = unusedLoans(built);
    if (unused.length) failures.push(`the core lends what panel.js never imports: ${unused}`);
  }
  const zipped = gzipSync(chunk, { level: 9 }).length;
  const budget = CHUNK_BUDGETS[name];
  const note = budget ? `of ${kb(budget).trim()}` : "(no budget)";
  const br = kb(brotli(chunk).length);
  console.log(
    `chunk ${`${name}.js`.padEnd(13)} raw ${kb(chunk.length)}   gzip ${kb(zipped)} ${note}   br ${br}`,
  );
  if (budget && zipped > budget)
    failures.push(`${name}.js is over budget by ${zipped - budget} bytes gzip`);
}

// One chunk per locale but English (built in): /widget/locale-<code>.js hands its strings over
// (key "chatbubble.locale"), ASCII-only as the rest.
const localeDir = `${root}widget/locales/`;
let locales = 0;
for (const name of (await readdir(localeDir)).filter((file) => /^[\w-]+\.json$/.test(file))) {
  if (name === "en.json") continue;
  const strings = JSON.parse(await readFile(localeDir + name, "utf8"));
  const text = JSON.stringify(strings).replace(
    /[\u007f-\uffff]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
  const code = name.slice(0, -5).toLowerCase();
  await writeScript(
    `${root}backend/static/chunks/locale-${code}.js`,
    `!function(){try{window.chatbubble[Symbol.for("chatbubble.locale")]={strings:${text}}}catch(e){}}();\n`,
  );
  locales++;
}
console.log(`locales: ${locales} chunks besides English (built in)`);

// KaTeX's fonts for the math chunk, woff2 only (every browser the widget supports reads it),
// served as /widget/katex/<name>.woff2; a browser fetches only those its formulas use.
const fontDir = `${root}node_modules/katex/dist/fonts/`;
const fonts = (await readdir(fontDir)).filter((name) => name.endsWith(".woff2"));
await mkdir(`${root}backend/static/chunks/katex`, { recursive: true });
let fontBytes = 0;
for (const name of fonts) {
  await copyFile(fontDir + name, `${root}backend/static/chunks/katex/${name}`);
  fontBytes += (await readFile(fontDir + name)).length;
}
console.log(`katex fonts: ${fonts.length} woff2, ${kb(fontBytes).trim()} in all (loaded as used)`);

const inputs = inputsOf(result)
  .map(([path, { bytesInOutput }]) => [path.replace(/^node_modules\//, ""), bytesInOutput])
  .sort((a, b) => b[1] - a[1]);
console.log(`${relative(process.cwd(), outfile) || outfile}  (minified bytes per input)`);
for (const [path, bytes] of inputs) if (bytes > 0) console.log(`  ${kb(bytes)}  ${path}`);

const gzip = gzipSync(code, { level: 9 }).length;
console.log(`raw ${kb(code.length)}   gzip ${kb(gzip)}   brotli ${kb(brotli(code).length)}`);
console.log(`budget: gzip ${kb(gzip).trim()} of ${kb(MAX_GZIP_BYTES).trim()}`);
if (gzip > MAX_GZIP_BYTES) {
  failures.push(`widget.js is over budget by ${gzip - MAX_GZIP_BYTES} bytes gzip`);
}
// The operator console's script (/admin), apart from the widget.
await import("./build-admin.mjs");

for (const failure of failures) console.error(failure);
if (failures.length) process.exitCode = 1;
