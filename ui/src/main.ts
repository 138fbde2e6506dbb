import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { setLocale, t } from "./lib/i18n";

setLocale(navigator.language);
document.title = t("common.appName");

const target = document.getElementById("app");
if (!target) throw new Error("missing #app element");

export default mount(App, { target });
