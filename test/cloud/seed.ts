// Typed access to what test/cloud/up.sh seeded ($TRIPOD_CLOUD_STATE/seed.json) and to the credentials of
// its clouds.yaml, for the integration tests and the demo:
//   const seed = readCloudSeed();            seed.networks[3].subnet.cidr === "198.18.40.0/24"
//   const demo = readCloud("tripod-demo");   demo.auth.username === "demo"
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

export const cloudStateDir = (): string => process.env.TRIPOD_CLOUD_STATE ?? "/var/tmp/tripod-cloud";

const quotaSet = z.record(z.string(), z.number());

const cloudSeedSchema = z.object({
  authUrl: z.url(),
  region: z.string(),
  interface: z.literal("public"),
  clouds: z.object({ demo: z.string(), admin: z.string(), smoke: z.string(), cloudsYaml: z.string() }),
  domain: z.object({ name: z.string(), id: z.string() }),
  project: z.object({ name: z.string(), id: z.string() }),
  smokeProject: z.object({ name: z.string(), id: z.string() }),
  users: z.record(
    z.string(),
    z.object({ name: z.string(), domain: z.string(), project: z.string(), roles: z.array(z.string()) }),
  ),
  networks: z.array(
    z.object({
      role: z.enum(["outbound", "cluster", "management", "public"]),
      name: z.string(),
      id: z.string(),
      subnet: z.object({
        name: z.string(),
        id: z.string(),
        cidr: z.string(),
        gatewayIp: z.string(),
        allocationPools: z.array(z.object({ start: z.string(), end: z.string() })),
      }),
    }),
  ),
  vips: z.object({ api: z.string(), ingress: z.string() }),
  flavor: z.object({ name: z.string(), id: z.string(), vcpus: z.number(), ramMiB: z.number(), diskGiB: z.number() }),
  image: z.object({
    name: z.string(),
    id: z.string(),
    diskFormat: z.string(),
    sizeBytes: z.number(),
    visibility: z.string(),
  }),
  computeHosts: z.array(z.string()),
  oneCluster: z.record(z.string(), z.number()),
  quotas: z.object({ compute: quotaSet, network: quotaSet }),
  swift: z.object({ accountUrl: z.url(), tempUrlKeySet: z.boolean() }),
  endpoints: z.record(z.string(), z.string()),
});
export type CloudSeed = z.infer<typeof cloudSeedSchema>;

const cloudEntrySchema = z.object({
  auth: z.object({
    auth_url: z.string(),
    username: z.string(),
    password: z.string(),
    project_name: z.string(),
    user_domain_name: z.string(),
    project_domain_name: z.string(),
  }),
  region_name: z.string(),
  interface: z.string(),
});
export type CloudEntry = z.infer<typeof cloudEntrySchema>;

export function readCloudSeed(stateDir = cloudStateDir()): CloudSeed {
  return cloudSeedSchema.parse(JSON.parse(readFileSync(join(stateDir, "seed.json"), "utf8")));
}

export function readCloud(name: string, stateDir = cloudStateDir()): CloudEntry {
  const file = parseYaml(readFileSync(join(stateDir, "clouds.yaml"), "utf8")) as { clouds?: Record<string, unknown> };
  return cloudEntrySchema.parse(file.clouds?.[name]);
}
