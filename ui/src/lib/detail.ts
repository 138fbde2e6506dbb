// Words a `Text` from the shell (an error's detail, an import problem, a link warning, a scan note, an export
// loss): its key names a message of the `detail` area, its parameters fill the placeholders. A nested `Text`
// is worded first; names, paths and numbers go in as they are.
import { t, tryT, type Params } from "./i18n";
import type { Param } from "./ipc/Param";
import type { Text } from "./ipc/Text";
import { shownName } from "./names";

function isText(value: Param | undefined): value is Text {
  return typeof value === "object" && value !== null && "key" in value;
}

/** The sentence for `text` in the current language; its English-free fallback is the key itself. */
export function wordText(text: Text): string {
  const params: Params = {};
  for (const [name, value] of Object.entries(text.params)) {
    if (value === undefined) continue;
    params[name] = isText(value) ? wordText(value) : value;
  }
  return tryT(text.key, params) ?? text.key;
}

/** How an entry that was not imported is named: its line of a text file of links, its name, or both. */
export function problemLabel(problem: { label: string; line: number | null }): string {
  if (problem.line === null) return shownName(problem.label);
  return problem.label
    ? t("import.problemLineLabel", { line: problem.line, label: problem.label })
    : t("import.problemLine", { line: problem.line });
}
