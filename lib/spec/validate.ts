import type { z } from "zod";
import { type ClusterSpec, ClusterSpecSchema } from "./schema";

export type SpecFieldError = { path: string; message: string };
export type SpecValidation = { ok: true; spec: ClusterSpec } | { ok: false; errors: SpecFieldError[] };

/** The path every error is reported at when it concerns the spec as a whole (e.g. not an object). */
export const ROOT_PATH = "(spec)";

function joinPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? ROOT_PATH : path.map(String).join(".");
}

/** Flattens zod issues into one `{path, message}` per field; an unknown key is reported at its own path. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): SpecFieldError[] {
  return issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: joinPath([...issue.path, key]), message: "is not a known field" }))
      : [{ path: joinPath(issue.path), message: issue.message }],
  );
}

export function validateClusterSpec(input: unknown): SpecValidation {
  const result = ClusterSpecSchema.safeParse(input, {
    error: (issue) => (issue.input === undefined && issue.code === "invalid_type" ? "is required" : undefined),
  });
  return result.success ? { ok: true, spec: result.data } : { ok: false, errors: toFieldErrors(result.error.issues) };
}
