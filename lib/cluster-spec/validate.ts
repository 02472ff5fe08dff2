import type { z } from "zod";
import { type ClusterSpec, ClusterSpecSchema } from "./schema";

export type SpecFieldError = { path: string; message: string };
export type SpecValidation = { ok: true; spec: ClusterSpec } | { ok: false; errors: SpecFieldError[] };

/** The path every error is reported at when it concerns the spec as a whole (e.g. not an object). */
export const ROOT_PATH = "(spec)";

function joinPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? ROOT_PATH : path.map(String).join(".");
}

const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/**
 * Flattens zod issues into one `{path, message}` per field. An unknown key is reported at its own path; one that
 * cannot be written in a dotted path ("", "a.b") is reported at its parent, quoted in the message.
 */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): SpecFieldError[] {
  return issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) =>
          PLAIN_KEY.test(key)
            ? { path: joinPath([...issue.path, key]), message: "is not a known field" }
            : { path: joinPath(issue.path), message: `has an unknown field ${JSON.stringify(key)}` },
        )
      : [{ path: joinPath(issue.path), message: issue.message }],
  );
}

export function validateClusterSpec(input: unknown): SpecValidation {
  const result = ClusterSpecSchema.safeParse(input, {
    error: (issue) => (issue.input === undefined && issue.code === "invalid_type" ? "is required" : undefined),
  });
  return result.success ? { ok: true, spec: result.data } : { ok: false, errors: toFieldErrors(result.error.issues) };
}
