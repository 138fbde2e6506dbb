// The window's language as reactive state: `t` reads it, so every template that shows a message draws again
// when the language changes, without a restart.
export const active = $state({ locale: "en" });
