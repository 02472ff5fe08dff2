// Renders every lab node's files with Tripod's own Ignition generator (lib/ignition + fakeroot) and creates the lab's
// database with one cluster holding a sealed agent secret; in the api mode also the stand-in API's certificates and
// the installer-style kubeconfig.
// usage: npx tsx test/vrrp/lab/prepare.ts   (TVLAB_STATE selects the state directory) -> writes $STATE/lab.env
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createDb } from "@/lib/db";
import type { NodeName } from "@/lib/domain";
import { derivedMacs, renderNodeTree } from "@/lib/ignition";
import { validateClusterSpec, type ClusterSpec } from "@/lib/cluster-spec";
import { generateKey, parseKey, sealSecret } from "@/lib/crypto/seal";
import { ensureStandinCerts, standinKubeconfig } from "../../support/kube-api-standin";
import { LAB, LAB_NODES, NODE_NAMES, apiServerName, ingestUrl, labDbUrl } from "./topology";

const REPO = path.resolve(import.meta.dirname, "../../..");

/** The demo cluster spec with its Public and Cluster networks moved to the lab's addresses. */
function labSpec(): ClusterSpec {
  const demo = JSON.parse(readFileSync(path.join(REPO, "test/fixtures/demo-spec.json"), "utf8"));
  const [m0, m1, m2] = NODE_NAMES.map((n) => LAB.nodes[n]);
  const c = LAB.clusterIps;
  demo.name = LAB.clusterName;
  demo.baseDomain = LAB.baseDomain;
  demo.networks.public = {
    ...demo.networks.public,
    cidr: "198.51.100.0/25",
    gateway: "198.51.100.1",
    ips: { bootstrap: LAB.bootstrapIp, master0: m0, master1: m1, master2: m2 },
    allocationPools: [{ start: "198.51.100.20", end: "198.51.100.99" }],
    apiVip: LAB.apiVip,
    ingressVip: LAB.ingressVip,
  };
  demo.networks.cluster = {
    ...demo.networks.cluster,
    cidr: "198.51.100.128/25",
    gateway: "198.51.100.129",
    ips: { bootstrap: c.bootstrap, master0: c["master-0"], master1: c["master-1"], master2: c["master-2"] },
    apiIntVip: LAB.apiIntVip,
  };
  // The VIP-health lab runs the Public network only.
  if (LAB.mode === "vip") delete demo.networks.cluster.apiIntVip;
  const checked = validateClusterSpec(demo);
  if (!checked.ok) throw new Error(`lab spec invalid: ${JSON.stringify(checked.errors)}`);
  return checked.spec;
}

async function main() {
  const state = LAB.state;
  mkdirSync(state, { recursive: true });
  const key = generateKey();
  const agentSecret = randomBytes(32).toString("hex");
  const authPass = randomBytes(4).toString("hex");

  execFileSync(process.execPath, [path.join(REPO, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: labDbUrl() },
    stdio: "pipe",
  });
  const db = createDb(labDbUrl());
  const user = await db.user.create({ data: { username: "lab", passwordHash: "-" } });
  const project = await db.project.create({ data: { name: "lab" } });
  const cloud = await db.cloud.create({ data: { projectId: project.id, name: "lab", authUrl: "http://127.0.0.1:5000/v3", credentialsSealed: "-" } });
  const cluster = await db.cluster.create({
    data: {
      projectId: project.id,
      cloudId: cloud.id,
      name: LAB.clusterName,
      specJson: "{}",
      infraId: `${LAB.clusterName}-lab`,
      createdById: user.id,
      vrrpApiId: LAB.vrids.api,
      vrrpIngressId: LAB.vrids.ingress,
      vrrpSecretSealed: sealSecret(agentSecret, parseKey(key)),
    },
  });
  await db.$disconnect();

  // Each lab node is a master: its files are exactly what Tripod's Ignition generator renders for that master
  // (keepalived.conf + track scripts from the Ignition templates, the VIP agent's tripod-vrrp-* files).
  const input = {
    spec: labSpec(),
    vrrp: { apiId: LAB.vrids.api, ingressId: LAB.vrids.ingress, apiIntId: LAB.mode === "api" ? LAB.vrids.apiInt : undefined, authPass },
    vipAgent: { ingestUrl: ingestUrl(), secret: agentSecret, clusterId: cluster.id },
    infraId: `${LAB.clusterName}-lab`,
    macs: derivedMacs(`${LAB.clusterName}-lab`),
  };
  // Each node's whole rendered tree, at its host path under $STATE/<node>/root.
  for (const name of LAB_NODES) {
    for (const entry of renderNodeTree(input, name as NodeName)) {
      if (entry.kind !== "file") continue;
      const target = path.join(state, name, "root", entry.path);
      mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
      writeFileSync(target, entry.content, { mode: entry.mode });
      chmodSync(target, entry.mode);
    }
  }
  if (LAB.mode === "api") {
    // One cluster CA for the four API stand-ins; the serving certificate is for the kubeconfig's server name.
    const certs = ensureStandinCerts(path.join(state, "pki"), [`DNS:${apiServerName()}`, `DNS:api-int.${LAB.clusterName}.${LAB.baseDomain}`, "DNS:localhost", "IP:127.0.0.1"]);
    writeFileSync(path.join(state, "kubeconfig"), standinKubeconfig(certs, `https://${apiServerName()}:6443`), { mode: 0o600 });
    writeFileSync(path.join(state, "spec.json"), JSON.stringify(input.spec));
  }
  const env = { CLUSTER_ID: cluster.id, TRIPOD_SECRET_KEY: key, AGENT_SECRET: agentSecret, DATABASE_URL: labDbUrl() };
  writeFileSync(path.join(state, "lab.env"), Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
