// Builds the widget: widget/src/index.ts → backend/static/widget.js, one minified IIFE with
// the stylesheet inlined as a minified string. Prints each input's share of the bundle and the
// raw, gzip and brotli sizes, and fails when gzip exceeds the budget.
//
//   node widget/build.mjs          build, report, enforce the budget
//   node widget/build.mjs --size   the same report, for `make size`

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { minify } from "terser";

/** Everything a visitor downloads before the first answer, gzipped. Raising it is a CHANGELOG line. */
const MAX_GZIP_BYTES = 42 * 1024;

const root = fileURLToPath(new URL("..", import.meta.url));
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

const options = {
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["chrome92", "firefox90", "safari15"],
  minify: true,
  charset: "ascii",
  legalComments: "eof",
  define: { __DEV__: "false", __VERSION__: JSON.stringify(pkg.version) },
  plugins: [cssAsText],
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

const result = await esbuild.build({ ...options, entryPoints: [`${root}widget/src/index.ts`] });

const code = await squeeze(result.outputFiles[0].contents);
await mkdir(dirname(outfile), { recursive: true });
await writeFile(outfile, code);

// Chunks: parts of the widget loaded on first use (GET /widget/<name>.js), outside the budget.
const chunks = {
  extras: `${root}widget/src/extras/index.ts`,
  media: `${root}widget/src/media/index.ts`,
  uploads: `${root}widget/src/uploads/index.ts`,
  recorder: `${root}widget/src/recorder/index.ts`,
  blocks: `${root}widget/src/blocks/index.ts`,
  highlight: `${root}widget/src/highlight/index.ts`,
};
for (const [name, entry] of Object.entries(chunks)) {
  const built = await esbuild.build({ ...options, entryPoints: [entry], metafile: false });
  const chunk = await squeeze(built.outputFiles[0].contents);
  const chunkFile = `${root}backend/static/chunks/${name}.js`;
  await mkdir(dirname(chunkFile), { recursive: true });
  await writeFile(chunkFile, chunk);
  const zipped = gzipSync(chunk, { level: 9 }).length;
  console.log(
    `chunk ${name}.js: raw ${(chunk.length / 1024).toFixed(1)} KB, gzip ${(zipped / 1024).toFixed(1)} KB (loaded on demand, not in the budget)`,
  );
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(9);
const inputs = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
  .map(([path, { bytesInOutput }]) => [path.replace(/^node_modules\//, ""), bytesInOutput])
  .sort((a, b) => b[1] - a[1]);
console.log(`${relative(process.cwd(), outfile) || outfile}  (minified bytes per input)`);
for (const [path, bytes] of inputs) if (bytes > 0) console.log(`  ${kb(bytes)}  ${path}`);

const gzip = gzipSync(code, { level: 9 }).length;
const brotli = brotliCompressSync(code, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
}).length;
console.log(`raw ${kb(code.length)}   gzip ${kb(gzip)}   brotli ${kb(brotli)}`);
console.log(`budget: gzip ${kb(gzip).trim()} of ${kb(MAX_GZIP_BYTES).trim()}`);
if (gzip > MAX_GZIP_BYTES) {
  console.error(`widget.js is over budget by ${gzip - MAX_GZIP_BYTES} bytes gzip`);
  process.exitCode = 1;
}
