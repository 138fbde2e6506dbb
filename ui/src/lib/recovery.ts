/** Recovery codes: the checks the Edit page makes before sending codes to the shell, and the one command the
 * shell does not have yet. */
import { invoke } from "./api";
import type { RecoveryCodeView } from "./ipc/RecoveryCodeView";

/** How two spellings of one code compare: spaces and letter case do not count ("ab12 cd34" = "AB12CD34"). */
export function codeKey(code: string): string {
  return code.replace(/\s+/g, "").toLowerCase();
}

/** The codes typed (one per line, blank lines ignored), and those among them already saved or typed twice. */
export function parseNewCodes(text: string, saved: readonly RecoveryCodeView[]): { codes: string[]; repeated: string[] } {
  const codes = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const seen = new Set(saved.map((c) => codeKey(c.code)));
  const repeated: string[] = [];
  for (const code of codes) {
    const key = codeKey(code);
    if (seen.has(key)) {
      if (!repeated.some((r) => codeKey(r) === key)) repeated.push(code);
    } else seen.add(key);
  }
  return { codes, repeated };
}

/** ASSUMED shell command, not in `src-tauri` yet: `remove_recovery_code(id: String, index: u32) -> ()`, which
 * removes the account's recovery code at `index` (as listed by `list_recovery_codes`) and saves the vault,
 * rejecting with `invalid_input` for an index out of range, like `mark_recovery_code`. Until it exists, the
 * shell answers with an error that the Edit page shows. Move it into `api.recovery` once the shell has it. */
export const assumedRecoveryApi = {
  remove: (id: string, index: number) => invoke<void>("remove_recovery_code", { id, index }),
};
