import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { api } from "./lib/api";
import { applyLanguage } from "./lib/i18n";

const target = document.getElementById("app");
if (!target) throw new Error("missing #app element");

/** The language setting, read before the first frame so the window never flashes English first; when the
 * shell cannot answer (the app then shows its start error), the system's language. */
async function language(): Promise<string | undefined> {
  try {
    return (await api.settings.get()).language;
  } catch {
    return undefined;
  }
}

void language()
  .then(applyLanguage)
  .then(() => mount(App, { target }));
