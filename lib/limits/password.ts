/** Rules for a new password, shared by the server (lib/server/accounts.ts) and the browser's forms: pure constants and functions. */

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim() !== password) return "a password must not start or end with a space";
  if (password.toLowerCase().includes(username.toLowerCase())) return "a password must not contain the user name";
  if (password === "flexdemo" || password.toLowerCase().startsWith("flexdemo")) return "the demo password cannot be a real password";
  return null;
}

/** User names: lower-case letters, digits, '.', '_' and '-', 2 to 40 characters, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,39}$/;
