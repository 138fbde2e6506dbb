/** Key combinations for the quick switcher's global shortcut, spelled like the shell stores them
 * (`switcher::canonical` in Rust): `Ctrl+Alt+K`, `Super+Shift+1`, `Ctrl+F5`. */

const MODIFIER_CODES = /^(Control|Shift|Alt|Meta|OS|Super|Hyper)(Left|Right)?$/;

/**
 * The combination a key press spells, or null when it is not one to record: a lone modifier, or a key pressed
 * without Ctrl, Alt or Super (plain typing, Tab, Backspace), except function keys.
 */
export function comboFromEvent(event: KeyboardEvent): string | null {
  const code = event.code;
  if (!code || MODIFIER_CODES.test(code)) return null;
  const functionKey = /^F\d{1,2}$/.test(code);
  if (!event.ctrlKey && !event.altKey && !event.metaKey && !functionKey) return null;
  const parts: string[] = [];
  if (event.ctrlKey) parts.push("Ctrl");
  if (event.altKey) parts.push("Alt");
  if (event.shiftKey) parts.push("Shift");
  if (event.metaKey) parts.push("Super");
  parts.push(code.replace(/^(Key|Digit)/, ""));
  return parts.join("+");
}
