// Shared set-up for Vitest: nothing global besides jsdom; views mock `invoke` per test.
export {};
