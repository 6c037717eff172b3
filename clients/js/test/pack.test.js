// What `npm pack` puts in the tarball: exactly the module (parley.js and the chatlayer.js it imports), its types, the README and package.json.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { dirname } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

test("npm pack lists exactly the intended files", { timeout: 60_000 }, () => {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const output = execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: packageDir, encoding: "utf8", timeout: 60_000 });
  const [packed] = JSON.parse(output);
  assert.equal(packed.name, "@parley/client");
  assert.deepEqual(packed.files.map((f) => f.path).sort(), ["README.md", "package.json", "src/chatlayer.js", "src/parley.d.ts", "src/parley.js"]);
});
