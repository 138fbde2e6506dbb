/**
 * The brand icon pack, loaded lazily: nothing of it is in the main script. The index (≈ 125 KB: slugs, titles,
 * colours, other names) is fetched the first time an icon is shown; each icon's path data comes from one of
 * `SHARDS` files (≈ 150 KB each) fetched when a card needs an icon in it. Both are same-origin script chunks
 * that Vite makes from `scripts/icon-pack.mjs`'s output, so the CSP needs no new source.
 *
 * Matches are cached per issuer and name, path data per slug: each is worked out once per run.
 */
import { SvelteMap } from "svelte/reactivity";
import { buildIndex, matchIcon, type IconIndex, type IndexEntry } from "./match";

export const SHARDS = 32;

/** The shard holding `slug`'s path; the same function as `scripts/icon-pack.mjs`'s `shardOf`. */
export function shardOf(slug: string): number {
  let h = 0;
  for (let i = 0; i < slug.length; i++) h = (h * 31 + slug.charCodeAt(i)) >>> 0;
  return h % SHARDS;
}

/** Where the pack comes from: the built files, or a test's stand-in. */
export type PackSource = {
  index: () => Promise<IndexEntry[]>;
  shard: (n: number) => Promise<Record<string, string>>;
};

type IndexFile = { default: { version: string; icons: IndexEntry[] } };
type ShardFile = { default: Record<string, string> };

/** The pack `npm run build` generated; empty (every account shows its initial) when it was not generated. */
function builtSource(): PackSource {
  const index = import.meta.glob<IndexFile>("./generated/index.json");
  const shards = import.meta.glob<ShardFile>("./generated/paths-*.json");
  return {
    index: async () => {
      const load = index["./generated/index.json"];
      return load ? (await load()).default.icons : [];
    },
    shard: async (n) => {
      const load = shards[`./generated/paths-${String(n).padStart(2, "0")}.json`];
      return load ? (await load()).default : {};
    },
  };
}

class IconPack {
  /** `null` until the index is loaded. */
  index: IconIndex | null = $state(null);
  /** Slug → path data, for the shards loaded so far. */
  readonly paths = new SvelteMap<string, string>();
  #source: PackSource;
  #loading: Promise<void> | null = null;
  #shards = new Map<number, Promise<void>>();
  #matches = new Map<string, IndexEntry | null>();

  constructor(source: PackSource) {
    this.#source = source;
  }

  /** Starts loading the index (once); resolves when it is there. A pack that fails to load shows initials. */
  load(): Promise<void> {
    this.#loading ??= this.#source
      .index()
      .catch((e: unknown) => {
        console.warn("icon pack index", e);
        return [];
      })
      .then((entries) => {
        this.#matches.clear();
        this.index = buildIndex(entries);
      });
    return this.#loading;
  }

  /** The icon for an account (cached), `null` for none, `undefined` while the index is loading. */
  match(issuer: string, name: string): IndexEntry | null | undefined {
    const index = this.index;
    if (index === null) {
      void this.load();
      return undefined;
    }
    const key = `${issuer}\u0000${name}`;
    let hit = this.#matches.get(key);
    if (hit === undefined) {
      hit = matchIcon(index, issuer, name);
      this.#matches.set(key, hit);
    }
    return hit;
  }

  /** The path data of `slug`, or `undefined` while its shard loads (then the map updates). */
  path(slug: string): string | undefined {
    const path = this.paths.get(slug);
    if (path !== undefined) return path;
    const n = shardOf(slug);
    if (!this.#shards.has(n)) {
      this.#shards.set(
        n,
        this.#source
          .shard(n)
          .then((shard) => {
            for (const [s, p] of Object.entries(shard)) this.paths.set(s, p);
          })
          .catch((e: unknown) => console.warn("icon pack shard", e)),
      );
    }
    return undefined;
  }

  /** Resolves when every shard asked for so far is loaded (for tests). */
  async settled(): Promise<void> {
    await this.#loading;
    await Promise.all(this.#shards.values());
  }
}

export let iconPack = new IconPack(builtSource());

/** Replaces the pack with `source`'s (tests). */
export function usePackSource(source: PackSource): void {
  iconPack = new IconPack(source);
}
