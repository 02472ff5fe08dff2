import { z } from "zod";
import { INSTALLER_FILE_NAMES, WIZARD_STEPS, type WizardStep } from "@/lib/domain";
import { ClusterSpecInputSchema } from "./schema";
import { resolveNetworks } from "./resolve";
import { validateClusterSpec, type SpecFieldError } from "./validate";
import { isRecord } from "@/lib/util/records";

// A draft is a cluster spec being written: possibly incomplete, possibly wrong. The wizard shows it step by step;
// every rule is the spec's own (schema.ts, resolve.ts), this module only says which step a field belongs to and
// checks the address rules of a draft whose later steps are still empty.

/** Which wizard step shows a spec field (by the start of its dotted path); the rest (advanced fields) is step 1. */
const STEP_OF_FIELD: [RegExp, WizardStep][] = [
  [/^networks\.\w+\.(ips|apiVip|ingressVip|apiIntVip|routeTable)(\.|$)/, "addresses"],
  [/^networks(\.|$)/, "networks"],
  [/^(flavor|image|serverGroupPolicy)(\.|$)/, "machines"],
  [/^installerConfigs(\.|$)/, "files"],
  [/^(quota|cloud|vrrp)(\.|$)/, "review"],
];

export function stepOfPath(path: string): WizardStep {
  return STEP_OF_FIELD.find(([pattern]) => pattern.test(path))?.[1] ?? "cluster";
}

/** The spec's `@file` references to the installer's configs, as an exported spec holds them. */
export const INSTALLER_CONFIG_REFERENCES = {
  bootstrap: `@${INSTALLER_FILE_NAMES.bootstrap}`,
  master: `@${INSTALLER_FILE_NAMES.master}`,
} as const;

/** The smallest valid Ignition config: stands in for the installer's where a spec is only planned, never rendered. */
export const EMPTY_IGNITION_CONFIG = JSON.stringify({ ignition: { version: "3.2.0" } });

type Draft = Record<string, unknown>;

/** The draft with its installer configs taken from the given texts (the uploads); references stay where none is. */
export function withInstallerConfigs(draft: unknown, configs: { bootstrap?: string; master?: string }): unknown {
  if (!isRecord(draft)) return draft;
  const given = isRecord(draft.installerConfigs) ? draft.installerConfigs : {};
  return {
    ...draft,
    installerConfigs: {
      bootstrap: configs.bootstrap ?? given.bootstrap ?? INSTALLER_CONFIG_REFERENCES.bootstrap,
      master: configs.master ?? given.master ?? INSTALLER_CONFIG_REFERENCES.master,
    },
  };
}

/**
 * Every problem of a draft, field by field. A draft with later steps still empty fails the schema before the
 * address rules run; they are then run on their own, so a wrong VIP shows on its step at once.
 */
export function draftIssues(draft: unknown, inUse: readonly string[] = []): SpecFieldError[] {
  const full = validateClusterSpec(draft);
  return merge(full.ok ? [] : full.errors, addressIssues(draft, inUse));
}

// Not strict: the draft's other fields are the full schema's business.
const AddressPart = z.object(ClusterSpecInputSchema.pick({ name: true, baseDomain: true, networks: true, nicOrder: true }).shape);

/** The address rules alone (with `inUse`: allocation skips other ports' addresses). */
function addressIssues(draft: unknown, inUse: readonly string[]): SpecFieldError[] {
  const parsed = AddressPart.safeParse(draft);
  if (!parsed.success) return [];
  const resolved = resolveNetworks(parsed.data, inUse);
  return resolved.ok ? [] : resolved.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

function merge(a: SpecFieldError[], b: SpecFieldError[]): SpecFieldError[] {
  const seen = new Set(a.map((e) => `${e.path}\u0000${e.message}`));
  return [...a, ...b.filter((e) => !seen.has(`${e.path}\u0000${e.message}`))];
}

// ---- Spec as code ---------------------------------------------------------------------------------------------

/** The draft's keys in the schema's order (unknown keys after them): one spec, one text. */
function ordered(value: unknown, schema: z.core.$ZodType | undefined): unknown {
  const def = schema?._zod.def as { type: string; innerType?: z.core.$ZodType; element?: z.core.$ZodType; shape?: Record<string, z.core.$ZodType>; in?: z.core.$ZodType } | undefined;
  if (def && (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "prefault")) return ordered(value, def.innerType);
  if (def?.type === "pipe") return ordered(value, def.in);
  if (Array.isArray(value)) return value.map((item) => ordered(item, def?.type === "array" ? def.element : undefined));
  if (!isRecord(value)) return value;
  const shape = def?.type === "object" ? (def.shape ?? {}) : {};
  const keys = [...Object.keys(shape).filter((k) => k in value), ...Object.keys(value).filter((k) => !(k in shape))];
  return Object.fromEntries(keys.map((k) => [k, ordered(value[k], shape[k])]));
}

/**
 * The spec a draft or cluster exports: its fields in the schema's order, two-space JSON with a final newline, the
 * installer configs (they hold the pull secret) replaced by `@bootstrap.ign`/`@master.ign` references that
 * `npm run ignition:generate` reads from beside the spec. Importing the text and exporting again gives the same bytes.
 */
export function exportSpecText(draft: unknown): string {
  const withoutSecrets = isRecord(draft) ? { ...draft, installerConfigs: { ...INSTALLER_CONFIG_REFERENCES } } : draft;
  return `${JSON.stringify(ordered(withoutSecrets, ClusterSpecInputSchema), null, 2)}\n`;
}

/** All wizard steps that have a problem, for the step list's markers. */
export function stepsWithIssues(issues: SpecFieldError[]): Set<WizardStep> {
  return new Set(issues.map((i) => stepOfPath(i.path)).filter((s) => WIZARD_STEPS.includes(s)));
}
