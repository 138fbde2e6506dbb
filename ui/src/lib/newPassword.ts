// The rule for a new vault password, shared by vault creation and the password change: at least 8
// characters, typed twice alike, and a password rated "too weak" needs a second, explicit yes.
import { passwordStrength } from "./format";

export const MIN_PASSWORD_LENGTH = 8;

/** Long enough and typed twice alike. */
export function newPasswordReady(password: string, repeat: string): boolean {
  return password.length >= MIN_PASSWORD_LENGTH && repeat === password;
}

/** Long enough but rated too weak: asks for the second yes. */
export function newPasswordTooWeak(password: string): boolean {
  return password.length >= MIN_PASSWORD_LENGTH && passwordStrength(password).score === 0;
}
