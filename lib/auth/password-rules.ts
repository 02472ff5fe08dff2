import { z } from "zod";
import { COMMON_PASSWORDS } from "./common-passwords";

// The rules for a password a person chooses (new users, resets, changes), stated once for the forms and the checks:
// at least MIN_LENGTH characters, at most MAX_LENGTH, not the user name, and not one of the most common passwords
// of breach lists (compared case-insensitively). The demo's published passwords are seeded, never chosen here.
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

export const PASSWORD_RULES = `At least ${MIN_PASSWORD_LENGTH} characters (at most ${MAX_PASSWORD_LENGTH}), not your user name, and not one of the most common passwords from breach lists.`;

const common = new Set(COMMON_PASSWORDS.map((p) => p.toLowerCase()));

/** Why this password may not be chosen, or null. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) return "The password may not contain the user name.";
  if (common.has(lower)) return "This password is on the breach lists of the most common passwords; choose another.";
  return null;
}

export const NewPassword = z.string().max(MAX_PASSWORD_LENGTH * 4, `Use at most ${MAX_PASSWORD_LENGTH} characters.`);
