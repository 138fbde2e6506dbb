// The sentence for what is wrong with a typed key (the shell's `check_key` verdict), worded here so that
// every language says it its own way. Empty for an empty field: nothing to say before typing.
import { t } from "./i18n";
import type { KeyProblem } from "./ipc/KeyProblem";

export function keyProblemText(problem: KeyProblem | null): string {
  if (!problem) return "";
  switch (problem.code) {
    case "empty":
      return "";
    case "invalid_character": {
      const sentence = t("add.keyInvalidCharacter", { position: problem.position, character: problem.character });
      return problem.likely ? `${sentence} ${t("add.keySlip", { likely: problem.likely })}` : sentence;
    }
    case "not_whole_bytes":
      return t("add.keyNotWholeBytes", { characters: problem.characters });
    case "too_short":
      return t("add.keyTooShort", { bits: problem.bits, min: problem.min });
    case "too_long":
      return t("add.keyTooLong");
  }
}
