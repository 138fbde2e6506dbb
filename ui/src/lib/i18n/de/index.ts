// One locale's catalog, loaded as its own chunk when the window speaks this language (see ../index.ts).
// Every area file in this folder is gathered at build time: a new area needs no line here.
const files = import.meta.glob<Record<string, unknown>>("./*.json", { eager: true, import: "default" });

export default Object.fromEntries(Object.entries(files).map(([path, messages]) => [path.slice(2, -".json".length), messages]));
