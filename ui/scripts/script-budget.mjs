// The start-up script's size budget (issue 19): the script index.html loads, gzipped, may be at most 20% above
// the 56 KB it was before brand icons, so icons, settings and other pages must come in lazily.
// Usage: node scripts/script-budget.mjs DIST_DIR. Exits 1, saying by how much, when the budget is exceeded.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const BUDGET_BYTES = Math.round(56 * 1024 * 1.2);

const dist = process.argv[2];
if (!dist) {
  console.error("usage: node scripts/script-budget.mjs DIST_DIR");
  process.exit(2);
}
const html = readFileSync(join(dist, "index.html"), "utf8");
const entries = [...html.matchAll(/<script[^>]+src="\/?([^"]+\.js)"/g)].map((m) => m[1]);
if (entries.length === 0) {
  console.error(`script-budget: ${dist}/index.html loads no script`);
  process.exit(1);
}
let total = 0;
for (const entry of entries) total += gzipSync(readFileSync(join(dist, entry))).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
if (total > BUDGET_BYTES) {
  console.error(
    `script-budget: the start-up script is ${kb(total)} gzipped, over the ${kb(BUDGET_BYTES)} budget; load the new code lazily (see App.svelte's pages)`,
  );
  process.exit(1);
}
process.stdout.write(`script-budget: start-up script ${kb(total)} gzipped (budget ${kb(BUDGET_BYTES)})\n`);
