// Shared set-up for Vitest: nothing global besides jsdom; views mock `invoke` per test.
//
// jsdom lays nothing out and has no ResizeObserver, which Svelte's `bind:clientWidth` uses (the account list
// measures itself to choose columns and the cards in view). A stand-in that never reports a size: the list
// then keeps its first-layout guess (one column, the window's height).
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver;
