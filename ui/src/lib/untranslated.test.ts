// Guards for the translation layer: no readable text written straight into a component, no dead catalog
// keys, no `t("…")` call naming a key the catalog lacks, and an English sentence for every shell error code.
import { parse } from "svelte/compiler";
import { describe, expect, it } from "vitest";
import { en } from "./i18n/en";
import type { ErrorCode } from "./ipc/ErrorCode";

// Every source file as text, read by Vite at build time of the test (no file-system access needed).
type Files = Record<string, string>;
const svelteFiles: Files = import.meta.glob("/src/**/*.svelte", { query: "?raw", import: "default", eager: true });
const sourceFiles: Files = import.meta.glob(["/src/**/*.ts", "/src/**/*.svelte", "!/src/**/*.test.ts", "!/src/test/**"], { query: "?raw", import: "default", eager: true });
const rustFiles: Files = import.meta.glob("../../../src-tauri/src/**/*.rs", { query: "?raw", import: "default", eager: true });

// Attributes a person reads (or hears from a screen reader). Ids, classes and types are not among them.
const READ_ATTRIBUTES = new Set([
  "aria-label",
  "aria-description",
  "aria-roledescription",
  "aria-valuetext",
  "aria-placeholder",
  "title",
  "placeholder",
  "alt",
  "label",
]);
const LETTER = /\p{L}/u;

type Node = { type?: string; start?: number; data?: string; name?: string; value?: unknown; [key: string]: unknown };

/** Every Text node of the markup, and every literal part of a read attribute, that holds a letter. */
function untranslated(source: string): Array<{ line: number; text: string }> {
  const ast = parse(source, { modern: true });
  const found: Array<{ line: number; text: string }> = [];
  const lineOf = (offset: number) => source.slice(0, offset).split("\n").length;
  const report = (node: Node) => {
    const text = String(node.data ?? "");
    if (LETTER.test(text)) found.push({ line: lineOf(node.start ?? 0), text: text.trim() });
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== "object" || value === null) return;
    const node = value as Node;
    if (node.type === "Attribute") {
      if (READ_ATTRIBUTES.has(String(node.name)) && Array.isArray(node.value)) {
        for (const part of node.value as Node[]) if (part.type === "Text") report(part);
      }
      // Other attributes hold ids, classes and values, never words; expressions are checked by `t`'s type.
      return;
    }
    if (node.type === "Text") return report(node);
    for (const key of Object.keys(node)) if (key !== "parent") walk(node[key]);
  };
  walk(ast.fragment);
  return found;
}

/** `area.key` for every message of the English catalog (plural objects are one message). */
function catalogKeys(): string[] {
  return Object.entries(en).flatMap(([area, messages]) => Object.keys(messages).map((key) => `${area}.${key}`));
}

describe("untranslated text", () => {
  it("finds text nodes and read attributes with letters, and allows symbols and expressions", () => {
    const found = untranslated(
      `<p>Hello</p>\n<button aria-label="Close" title={t("common.close")}>×</button>\n<img alt="QR for {x}" />` +
        `<span class="badge" data-x="abc">{t("a.b")} · 3 / 4 — ⚠</span>`,
    );
    expect(found).toEqual([
      { line: 1, text: "Hello" },
      { line: 2, text: "Close" },
      { line: 3, text: "QR for" },
    ]);
  });

  it("leaves no readable text in any component", () => {
    expect(Object.keys(svelteFiles).length).toBeGreaterThan(10);
    const problems = Object.entries(svelteFiles).flatMap(([file, source]) =>
      untranslated(source).map(({ line, text }) => `${file}:${line}: ${text}`),
    );
    expect(problems).toEqual([]);
  });
});

describe("the English catalog", () => {
  const code = Object.values(sourceFiles).join("\n");
  const rust = Object.values(rustFiles);
  const keys = new Set(catalogKeys());
  const quoted = (key: string) => new RegExp(`["'\`]${key.replace(/\./g, "\\.")}["'\`]`);

  // Keys built at run time, like tryT(`errors.${code}`): every key under such a prefix counts as used.
  const dynamicPrefixes = [...code.matchAll(/\b(?:t|tryT)\(\s*`([\w.]+)\$\{/g)].map((m) => m[1] ?? "");

  /** A catalog file the shell reads with include_str! may name its keys without the area. */
  function usedByRust(key: string): boolean {
    const [area, ...rest] = key.split(".");
    const bare = new RegExp(`"${rest.join("\\.")}"`);
    return rust.some(
      (text) => quoted(key).test(text) || (text.includes(`i18n/en/${area}.json`) && bare.test(text)),
    );
  }

  it("has no key that nothing uses", () => {
    expect(rust.length).toBeGreaterThan(0);
    const dead = [...keys].filter(
      (key) => !quoted(key).test(code) && !dynamicPrefixes.some((p) => key.startsWith(p)) && !usedByRust(key),
    );
    expect(dead).toEqual([]);
  });

  it("holds every key the sources ask for", () => {
    const asked = [...code.matchAll(/\b(?:t|tryT)\(\s*["']([^"']+)["']/g)].map((m) => m[1] ?? "");
    expect(asked.length).toBeGreaterThan(100);
    expect(asked.filter((key) => !keys.has(key))).toEqual([]);
    expect(dynamicPrefixes).toContain("errors.");
  });

  it("has a sentence for every error code the shell sends, with its words as the detail", () => {
    // A Record over ErrorCode: a code added in Rust (and regenerated by ts-rs) fails `npm run check` here.
    const codes: Record<ErrorCode | "ipc", true> = {
      wrong_password: true,
      locked: true,
      no_vault: true,
      vault_exists: true,
      not_found: true,
      invalid_input: true,
      io: true,
      vault: true,
      clipboard: true,
      not_available: true,
      no_camera: true,
      camera_busy: true,
      camera_denied: true,
      no_qr_code: true,
      not_authenticator: true,
      capture_unavailable: true,
      twofold_backup: true,
      foreign_export: true,
      file_exists: true,
      ipc: true,
    };
    expect(Object.keys(en.errors).sort()).toEqual(Object.keys(codes).sort());
    // Codes whose shell message carries the specifics (a file, a camera, a reason) must show it; these four
    // always say the same thing.
    const fixed = ["wrong_password", "locked", "no_vault", "no_camera"];
    for (const [code, sentence] of Object.entries(en.errors)) {
      if (!fixed.includes(code)) expect(sentence, code).toContain("{message}");
    }
  });
});
