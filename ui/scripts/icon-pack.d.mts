// Types of the pack builder, for the UI's tests that build the pack from the package's data.
export const SHARDS: number;
export const ALLOWED: Set<string>;
export function shardOf(slug: string): number;
export function leftOutReason(type: string): string;
export type Pack = {
  index: [string, string, string, string[]][];
  shards: Record<string, string>[];
  leftOut: { title: string; slug: string; license: string; reason: string }[];
  attributed: { title: string; license: string; source: string }[];
};
export function buildPack(data: unknown[], paths: Map<string, string>): Pack;
export function docsText(version: string, pack: Pack): string;
