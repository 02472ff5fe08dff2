// Renders every lab node's files with Tripod's own templates (the fakeroot's tripod-vrrp-* files and the
// keepalived.conf template) and creates the lab's database with one cluster holding a sealed agent secret.
// usage: npx tsx test/vrrp/lab/prepare.ts   (TVLAB_STATE selects the state directory) -> writes $STATE/lab.env
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { createDb } from "@/lib/db";
import { generateKey, parseKey, sealSecret } from "@/lib/crypto/seal";
import { LAB, NODE_NAMES, ingestUrl, labDbUrl } from "./topology";

const REPO = path.resolve(import.meta.dirname, "../../..");

interface RenderedFile {
  path: string;
  contents: string;
  mode: number;
}

/** The agent's files from fakeroot/all (names starting "tripod-vrrp-"), rendered like the Ignition generator does. */
function agentFiles(context: object): RenderedFile[] {
  const root = path.join(REPO, "fakeroot/all");
  const out: RenderedFile[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.startsWith("tripod-vrrp-")) {
        const raw = readFileSync(full, "utf8");
        const hbs = e.name.endsWith(".hbs");
        out.push({
          path: "/" + path.relative(root, hbs ? full.slice(0, -4) : full),
          contents: hbs ? Handlebars.compile(raw, { strict: true })(context) : raw,
          mode: statSync(full).mode & 0o100 ? 0o755 : 0o644,
        });
      }
    }
  };
  walk(root);
  return out;
}

function keepalivedConf(context: object): RenderedFile {
  const template = readFileSync(path.join(import.meta.dirname, "keepalived.conf.hbs"), "utf8");
  return { path: "/etc/keepalived/keepalived.conf", contents: Handlebars.compile(template, { strict: true })(context), mode: 0o644 };
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

  for (const name of NODE_NAMES) {
    const ip = LAB.nodes[name];
    const context = {
      cluster: { name: LAB.clusterName, apiVip: LAB.apiVip, ingressVip: LAB.ingressVip },
      node: { name, role: "master", ips: { public: ip }, interfaces: { public: "eth0" } },
      peers: NODE_NAMES.filter((n) => n !== name).map((n) => LAB.nodes[n]),
      vrrp: { apiId: LAB.vrids.api, ingressId: LAB.vrids.ingress, authPass },
      vipAgent: { ingestUrl: ingestUrl(), secret: agentSecret, clusterId: cluster.id },
    };
    for (const f of [...agentFiles(context), keepalivedConf(context)]) {
      const target = path.join(state, name, "root", f.path);
      mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
      writeFileSync(target, f.contents, { mode: f.mode });
      chmodSync(target, f.mode);
    }
  }
  const env = { CLUSTER_ID: cluster.id, TRIPOD_SECRET_KEY: key, AGENT_SECRET: agentSecret, DATABASE_URL: labDbUrl() };
  writeFileSync(path.join(state, "lab.env"), Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
