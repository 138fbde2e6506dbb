import { t } from "./i18n";

/** Splits a code into groups that are easy to read aloud: `123 456`, `1234 567`, `1234 5678`. */
export function groupCode(code: string): string {
  const c = code.replace(/\s+/g, "");
  if (c.length <= 5) return c;
  if (c.length === 6) return `${c.slice(0, 3)} ${c.slice(3)}`;
  if (c.length === 7 || c.length === 8) return `${c.slice(0, 4)} ${c.slice(4)}`;
  // 9 and more: groups of three, the first one taking the remainder.
  const head = c.length % 3 === 0 ? 3 : 3 + (c.length % 3);
  const groups = [c.slice(0, head)];
  for (let i = head; i < c.length; i += 3) groups.push(c.slice(i, i + 3));
  return groups.join(" ");
}

/** A rough hint of how hard a password is to guess; it never blocks a choice, it only informs. */
export type Strength = { score: 0 | 1 | 2 | 3 | 4; label: string };

export function passwordStrength(password: string): Strength {
  if (password.length === 0) return { score: 0, label: "" };
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  const length = [...password].length;
  const words = password.trim().split(/[\s\-_.]+/).filter((w) => w.length >= 3).length;
  let score = 0;
  if (length >= 8) score++;
  if (length >= 12) score++;
  if (length >= 16 || words >= 4) score++;
  if (classes >= 3 && length >= 10) score++;
  if (/^(.)\1+$/.test(password) || /^(password|12345678|qwerty)/i.test(password)) score = 0;
  const s = Math.min(score, 4) as Strength["score"];
  const labels = [
    t("create.strengthTooWeak"),
    t("create.strengthWeak"),
    t("create.strengthFair"),
    t("create.strengthGood"),
    t("create.strengthStrong"),
  ];
  return { score: s, label: labels[s] ?? "" };
}
