import { openSecret, sealSecret } from "@/lib/crypto/seal";

// The installer's configs inside a spec (bootstrap.ign and master.ign: pull secret, certificates, kubeconfig
// material) are stored sealed like every other secret: the stored spec keeps its other fields readable, and its
// `installerConfigs` becomes `{ "sealed": "v1.…" }` (AES-256-GCM under TRIPOD_SECRET_KEY).

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The spec as stored: JSON text with its installer configs sealed. */
export function sealStoredSpec(spec: unknown): string {
  if (!isObject(spec) || spec.installerConfigs === undefined) return JSON.stringify(spec);
  return JSON.stringify({ ...spec, installerConfigs: { sealed: sealSecret(JSON.stringify(spec.installerConfigs)) } });
}

/** The stored spec with its installer configs opened (a spec stored before sealing passes as it is). */
export function openStoredSpec(specJson: string): unknown {
  const spec: unknown = JSON.parse(specJson);
  if (!isObject(spec) || !isObject(spec.installerConfigs) || typeof spec.installerConfigs.sealed !== "string") return spec;
  return { ...spec, installerConfigs: JSON.parse(openSecret(spec.installerConfigs.sealed)) };
}
