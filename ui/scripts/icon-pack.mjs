// Builds the brand icon pack the UI loads lazily (issue 19) from the `simple-icons` npm package (CC0-1.0).
//
// Run by `npm run build` (its `prebuild`) and so by `cargo xtask run/test/e2e/dist`; `--docs` rewrites
// docs/icons.md, the list of icons left out and the attributions the shipped ones need.
// Output (git-ignored, under src/lib/icons/generated/): `index.json`, everything matching needs (slug, title,
// colour, other names), and `paths-NN.json`, the SVG path data in SHARDS files by a hash of the slug, so a list
// of a few accounts reads a few hundred kilobytes rather than all 4.6 MB.
import { mkdirSync, readFileSync, writeFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const SHARDS = 32;

/**
 * Licences under which an icon may ship in Twofold (GPL-3.0-or-later) with at most an attribution line:
 * public domain and permissive ones. Left out: copyleft or share-alike (GPL, AGPL, MPL, CC-BY-SA: they would
 * put the icon's own terms on the pack), non-commercial or no-derivatives (CC-BY-NC*, CC-BY-ND*: stricter
 * than our licence allows us to pass on), and "custom" (terms that are not a known licence).
 * An icon with no `license` field is under the package's CC0-1.0.
 */
export const ALLOWED = new Set(["CC0-1.0", "Unlicense", "MIT", "BSD-3-Clause", "Apache-2.0", "CC-BY-2.5", "CC-BY-3.0", "CC-BY-4.0"]);

/** Why an icon under `type` is left out, in the words of docs/icons.md. */
export function leftOutReason(type) {
  if (type === "custom") return "custom terms, not a known licence";
  if (/NC|ND/.test(type)) return "non-commercial or no-derivatives terms";
  return "copyleft or share-alike terms";
}

/** The shard that holds `slug`'s path (the UI computes the same in `src/lib/icons/pack.ts`). */
export function shardOf(slug) {
  let h = 0;
  for (let i = 0; i < slug.length; i++) h = (h * 31 + slug.charCodeAt(i)) >>> 0;
  return h % SHARDS;
}

/** Other names a service goes by in the package's data: "also known as", duplicates' titles, localised names. */
function otherNames(aliases) {
  if (!aliases) return [];
  const names = [...(aliases.aka ?? []), ...(aliases.dup ?? []).map((d) => d.title), ...Object.values(aliases.loc ?? {})];
  return [...new Set(names)];
}

/**
 * The pack from the package's data (`data`, `simple-icons.json`) and its icons (`paths`, slug → path):
 * `{ index, shards, leftOut, attributed }`.
 */
export function buildPack(data, paths) {
  const index = [];
  const shards = Array.from({ length: SHARDS }, () => ({}));
  const leftOut = [];
  const attributed = [];
  for (const icon of data) {
    const type = icon.license?.type;
    if (type && !ALLOWED.has(type)) {
      leftOut.push({ title: icon.title, slug: icon.slug, license: type, reason: leftOutReason(type) });
      continue;
    }
    const path = paths.get(icon.slug);
    if (!path) continue;
    if (type && type !== "CC0-1.0" && type !== "Unlicense") attributed.push({ title: icon.title, license: type, source: icon.source });
    index.push([icon.slug, icon.title, icon.hex, otherNames(icon.aliases)]);
    shards[shardOf(icon.slug)][icon.slug] = path;
  }
  return { index, shards, leftOut, attributed };
}

/** docs/icons.md's section on icon packs (issue 19 point 4): fixed text, kept here because the script writes the file. */
const ICON_PACKS_DOC = [
  "## Which icon a card shows",
  "",
  "1. The account's own picture (Edit → Picture: a file, or an icon chosen from a pack), kept in the vault.",
  "2. An icon from an imported icon pack whose issuer list names the account's issuer exactly (case, spaces",
  "   and punctuation aside). A pack the person imported wins over the bundled logo below.",
  "3. The bundled Simple Icons logo matched by `ui/src/lib/icons/match.ts`.",
  "4. The issuer's initial on a coloured tile.",
  "",
  "## Icon packs (Aegis's format)",
  "",
  "Settings → Icon packs → Import a pack… reads an icon pack as Aegis does (`IconPack.java`,",
  "`IconPackManager.java`; the aegis-icons project ships one): a ZIP with `pack.json` at its root,",
  '`{ "uuid", "name", "version", "icons": [{ "filename", "name", "category", "issuer": [] }] }`, and the files it',
  "lists (PNG, JPEG or SVG). Each icon is made into the same PNG of at most 128 px as an account's own picture",
  "(`twofold_core::icon`; SVG rasterised in Rust, never given to the page as markup).",
  "",
  "A pack comes from strangers, so `twofold_core::iconpack::parse` refuses, each with its own message: a file over",
  "64 MiB; anything that is not a ZIP; more than 5,000 entries or icons; an entry name that is absolute, holds",
  "`..`, a backslash, a drive letter, NUL or another control character; encrypted entries; no `pack.json` at the",
  "root, JSON of another shape, a uuid that is not one; a listed file that is missing or not PNG/JPEG/SVG; a",
  "`pack.json` over 4 MiB or an icon over 2 MiB decompressed (the declared size refuses early, the read itself is",
  "capped); an entry over 64 KiB compressed more than 100 to 1 (a ZIP bomb); more than 128 MiB decompressed in",
  "all; an icon that cannot be decoded or claims more than 8,192 pixels a side; icons that take more than 64 MiB",
  "as PNGs in all. Only `pack.json` and the files it lists are ever decompressed.",
  "",
  "Matching is Aegis's rule: the issuer and each string of an icon's `issuer` list in lower case (trimmed), equal",
  "or one containing the other. Edit → Picture → From an icon pack lists the matching icons first (equal, or",
  "equal once folded like the brand icons, before containing) and searches every pack icon by name; a card",
  "shows a pack icon on its own only for an equal match.",
  "",
  "Packs are not secrets: they live beside the settings in `icon-packs/<uuid>/` (`index.json`, the PNGs in",
  "`icons.bin` and their places in `offsets.bin`),",
  "not in the vault. An import is written into a temporary folder (each file synced), which then replaces the",
  "pack's folder by renames; importing a pack with the same uuid again (a newer version) replaces it. Remove",
  "deletes the folder. An icon chosen for an account is copied into the account's vault `icon`, so backups,",
  "exports to Aegis and sync carry it, and it stays when the pack is removed.",
];

/** docs/icons.md: where the icons come from, which are left out and why, and the attributions. */
export function docsText(version, pack) {
  const lines = [
    "# Brand icons",
    "",
    `Twofold shows services' logos from [Simple Icons](https://simpleicons.org) (npm \`simple-icons\` ${version}, CC0-1.0),`,
    "packed at build time by `ui/scripts/icon-pack.mjs`. The logos are trademarks of their owners; showing one",
    "beside the account it belongs to is the use the package is made for. Icons that carry their own licence in",
    "the package's data ship only when that licence is public domain or permissive; the others are left out.",
    "",
    ...ICON_PACKS_DOC,
    "",
    `## Left out (${pack.leftOut.length})`,
    "",
    ...pack.leftOut.map((i) => `- ${i.title} (\`${i.slug}\`): ${i.license}, ${i.reason}`),
    "",
    `## Shipped under their own licence, with attribution (${pack.attributed.length})`,
    "",
    ...pack.attributed.map((i) => `- ${i.title}: ${i.license}, ${i.source}`),
    "",
  ];
  return lines.join("\n");
}

/** Writes `file` only when its bytes change, so an unchanged pack leaves the build's inputs alone. */
function writeIfChanged(file, text) {
  try {
    if (readFileSync(file, "utf8") === text) return;
  } catch {
    // Missing: written below.
  }
  writeFileSync(file, text);
}

async function main() {
  const here = dirname(fileURLToPath(import.meta.url));
  const pkgDir = join(here, "..", "node_modules", "simple-icons");
  const version = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version;
  const data = JSON.parse(readFileSync(join(pkgDir, "data", "simple-icons.json"), "utf8"));
  const icons = await import("simple-icons");
  const paths = new Map(Object.values(icons).filter((i) => i && typeof i.path === "string").map((i) => [i.slug, i.path]));
  const pack = buildPack(data, paths);

  if (process.argv.includes("--docs")) {
    writeIfChanged(join(here, "..", "..", "docs", "icons.md"), docsText(version, pack));
    return;
  }
  const out = join(here, "..", "src", "lib", "icons", "generated");
  mkdirSync(out, { recursive: true });
  const wanted = new Set(["index.json", ...pack.shards.map((_, i) => `paths-${String(i).padStart(2, "0")}.json`)]);
  for (const name of readdirSync(out)) if (!wanted.has(name)) rmSync(join(out, name));
  writeIfChanged(join(out, "index.json"), JSON.stringify({ version, icons: pack.index }));
  pack.shards.forEach((shard, i) => writeIfChanged(join(out, `paths-${String(i).padStart(2, "0")}.json`), JSON.stringify(shard)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
