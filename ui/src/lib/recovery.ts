/** Recovery codes: the checks the Edit page makes before sending codes to the shell. */
import type { RecoveryCodeView } from "./ipc/RecoveryCodeView";

/** How two spellings of one code compare: spaces and letter case do not count ("ab12 cd34" = "AB12CD34"). */
export function codeKey(code: string): string {
  return code.replace(/\s+/g, "").toLowerCase();
}

/** The codes typed (one per line, blank lines ignored), and those among them already saved (of the saved
 * codes shown in full) or typed twice. The shell refuses a saved code again, masked or not. */
export function parseNewCodes(text: string, saved: readonly RecoveryCodeView[]): { codes: string[]; repeated: string[] } {
  const codes = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const seen = new Set(saved.flatMap((c) => (c.code === null ? [] : [codeKey(c.code)])));
  const repeated: string[] = [];
  for (const code of codes) {
    const key = codeKey(code);
    if (seen.has(key)) {
      if (!repeated.some((r) => codeKey(r) === key)) repeated.push(code);
    } else seen.add(key);
  }
  return { codes, repeated };
}
