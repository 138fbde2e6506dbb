import { describe, expect, it } from "vitest";
import data from "simple-icons/icons.json";
import iconsPackage from "../../../node_modules/simple-icons/package.json";
import docs from "../../../../docs/icons.md?raw";
import { buildPack, docsText, shardOf as scriptShardOf, SHARDS as SCRIPT_SHARDS } from "../../../scripts/icon-pack.mjs";
import { iconPack, shardOf, SHARDS, usePackSource } from "./pack.svelte";

type Icon = { slug: string; title: string; license?: { type: string } };
const icons = data as Icon[];

describe("the icon pack", () => {
  const pack = buildPack(icons, new Map(icons.map((i) => [i.slug, "M0 0"])));

  it("leaves out every icon whose own licence is not public domain or permissive, and keeps the rest", () => {
    const shipped = new Set(pack.index.map((e) => e[0]));
    for (const icon of icons) {
      const type = icon.license?.type;
      const allowed = !type || /^(CC0-1\.0|Unlicense|MIT|BSD-3-Clause|Apache-2\.0|CC-BY-(2\.5|3\.0|4\.0))$/.test(type);
      expect(shipped.has(icon.slug), `${icon.slug} (${type ?? "package CC0"})`).toBe(allowed);
    }
    expect(pack.leftOut.length).toBeGreaterThan(0);
  });

  it("is listed in docs/icons.md as the script writes it (run `npm run icons:docs` after updating the package)", () => {
    expect(docs).toBe(docsText(iconsPackage.version, pack));
  });

  it("puts each path in the shard the UI looks in", () => {
    expect(SHARDS).toBe(SCRIPT_SHARDS);
    for (const icon of icons.slice(0, 500)) expect(shardOf(icon.slug)).toBe(scriptShardOf(icon.slug));
  });

  it("loads the index once and each shard once, and caches matches", async () => {
    let indexLoads = 0;
    const shardLoads: number[] = [];
    usePackSource({
      index: async () => {
        indexLoads++;
        return [["github", "GitHub", "181717", []]];
      },
      shard: async (n) => {
        shardLoads.push(n);
        return { github: "M1 1" };
      },
    });
    expect(iconPack.match("GitHub", "alice")).toBeUndefined();
    await iconPack.settled();
    expect(iconPack.match("GitHub", "alice")?.[0]).toBe("github");
    expect(iconPack.match("Nowhere", "")).toBeNull();
    expect(iconPack.path("github")).toBeUndefined();
    expect(iconPack.path("github")).toBeUndefined();
    await iconPack.settled();
    expect(iconPack.path("github")).toBe("M1 1");
    expect(indexLoads).toBe(1);
    expect(shardLoads).toEqual([shardOf("github")]);
  });
});
