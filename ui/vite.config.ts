import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri serves the built files; the dev server is only for `vite dev` while designing.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  // Tests read src-tauri's sources too (the i18n guard checks the catalog keys Rust uses).
  server: { port: 5173, strictPort: true, fs: process.env.VITEST ? { allow: [".."] } : undefined },
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    // No inline scripts or styles: the CSP allows only same-origin files.
    assetsInlineLimit: 0,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    // jsdom renders of whole views take a few seconds on a loaded 2-core machine; 5 s (the default) failed
    // tests there that pass in 1-2 s on an idle one. A slow test is still a failure at 20 s.
    testTimeout: 20_000,
  },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
});
