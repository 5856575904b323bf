// The React bindings' declarations as a React app sees them: widget/build-npm.mjs builds the
// package into a scratch directory's node_modules, beside the workspace's React types (linked);
// `tsc --noEmit` (strict) compiles consumer-react.ts against them, whose `@ts-expect-error`
// lines check that a misspelled prop does not compile. Run with `node --test widget/test/`.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

test("a React consumer compiles against the built declarations, a misspelled prop does not", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chatbubble-react-consumer-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const modules = join(dir, "node_modules");
  mkdirSync(join(modules, "@types"), { recursive: true });
  symlinkSync(join(root, "node_modules/@types/react"), join(modules, "@types/react"));
  execFileSync("node", [join(root, "widget/build-npm.mjs"), join(modules, "chatbubble-widget")], {
    stdio: "pipe",
  });
  copyFileSync(join(root, "widget/test/consumer-react.ts"), join(dir, "consumer.ts"));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "es2020",
        module: "esnext",
        moduleResolution: "bundler",
        lib: ["dom", "es2020"],
        types: [],
        strict: true,
        noEmit: true,
        noUnusedLocals: true,
      },
      files: ["consumer.ts"],
    }),
  );
  let output = "";
  try {
    execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", join(dir, "tsconfig.json")], {
      stdio: "pipe",
      cwd: dir,
    });
  } catch (error) {
    output = String(error.stdout) + String(error.stderr);
  }
  assert.equal(output, "", "tsc reports errors");
});
