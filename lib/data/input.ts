import { z } from "zod";

// Input pieces shared by the commands' schemas. Every field a browser sends is bounded here: a form field longer
// than its bound, of the wrong type or missing is an InvalidInputError naming it (400), never a stored value.

export const Id = z.string().min(1, "An id is required").max(64, "Not an id");
export const Username = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, "2 to 40 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit");
export const ProjectName = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Up to 40 lower-case letters, digits and dashes");
/** A password as typed (its rules are checked apart, so the message names the rule). */
export const PasswordText = z.string().min(1, "Enter a password").max(1024, "At most 1024 characters");
/** HTML checkboxes send "on" when ticked and nothing otherwise; JSON callers send a boolean. */
export const Checkbox = z.union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("false"), z.literal("")]).transform((v) => v === true || v === "on" || v === "true");
export const OptionalText = (max: number, message = `At most ${max} characters`) =>
  z.string().max(max, message).transform((v) => v.trim() || undefined).optional();

/** A command's input: typed for server callers, or a browser form's fields as they come (the schema decides). */
export type Fields<S extends z.ZodType> = z.input<S> | Record<string, string | undefined>;

/** JSON text of bounded size (its nesting is bounded where it is parsed: parseJsonText refuses a deeper document). */
export const BoundedJsonText = (maxBytes: number, what: string) =>
  z
    .string()
    .min(1, `Paste the ${what} (JSON)`)
    .max(maxBytes, `The ${what} is larger than ${Math.round(maxBytes / 1024)} KiB`);
