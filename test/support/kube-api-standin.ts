import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watchFile, unwatchFile, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { stringify as toYaml } from "yaml";

// No OpenShift can boot here, so the bootstrap-complete wait is tested against this stand-in. It answers what
// Tripod reads exactly as a kube-apiserver does: TLS with the cluster CA, client-certificate authentication (as in
// the installer's admin kubeconfig), /readyz open to anonymous users (500 with the failing checks while starting),
// and the kube-system/bootstrap config map — GET of the object, a list with a field selector, and a watch
// (`watch=true`, chunked newline-delimited JSON events from `resourceVersion`, `timeoutSeconds`, 410 Expired for a
// version older than the stand-in's history) — with Status objects for 403/404/410. bootkube writes the config map
// once, with data.status "complete", when it is done: before that it does not exist.
// Several stand-ins (the lab's bootstrap and masters) share one cluster state through `phaseFile`.

export type StandinPhase = "starting" | "ready" | "complete";

export interface KubeApiStandin {
  url: string;
  kubeconfig: string;
  setPhase(phase: StandinPhase): void;
  /** Other writes happened and the history was compacted: the resource version moves on, older ones are gone (410). */
  compact(): void;
  requests(): string[];
  stop(): Promise<void>;
}

export interface StandinOptions {
  initial?: StandinPhase;
  host?: string;
  port?: number;
  /** Certificates made by ensureStandinCerts; a fresh CA in a temporary directory when absent. */
  certDir?: string;
  /** A file holding the phase, shared by several stand-ins; setPhase writes it, every stand-in follows it. */
  phaseFile?: string;
  /** The kubeconfig's server (default: the stand-in's own URL). */
  server?: string;
}

export interface StandinCerts {
  ca: Buffer;
  serverKey: Buffer;
  serverCert: Buffer;
  clientKey: Buffer;
  clientCert: Buffer;
}

function openssl(args: string[], cwd: string) {
  execFileSync("openssl", args, { cwd, stdio: "pipe" });
}

/** A cluster CA, a serving certificate for `sans` (subjectAltName entries) and an admin client certificate. */
export function ensureStandinCerts(dir: string, sans = ["IP:127.0.0.1", "DNS:localhost"]): StandinCerts {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, "client.crt"))) {
    openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/OU=openshift/CN=kube-apiserver-standin-signer"], dir);
    writeFileSync(path.join(dir, "server.ext"), `subjectAltName=${sans.join(",")}\nextendedKeyUsage=serverAuth\n`);
    openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=kube-apiserver"], dir);
    openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext"], dir);
    writeFileSync(path.join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
    openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr", "-subj", "/O=system:masters/CN=system:admin"], dir);
    openssl(["x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "client.crt", "-days", "2", "-extfile", "client.ext"], dir);
  }
  const read = (f: string) => readFileSync(path.join(dir, f));
  return { ca: read("ca.crt"), serverKey: read("server.key"), serverCert: read("server.crt"), clientKey: read("client.key"), clientCert: read("client.crt") };
}

/** The installer's admin kubeconfig for a stand-in cluster. */
export function standinKubeconfig(certs: StandinCerts, server: string): string {
  const b64 = (b: Buffer) => b.toString("base64");
  return toYaml({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "standin", cluster: { server, "certificate-authority-data": b64(certs.ca) } }],
    users: [{ name: "admin", user: { "client-certificate-data": b64(certs.clientCert), "client-key-data": b64(certs.clientKey) } }],
    contexts: [{ name: "admin", context: { cluster: "standin", user: "admin" } }],
    "current-context": "admin",
    preferences: {},
  });
}

function status(code: number, reason: string, message: string, details: object = { name: "bootstrap", kind: "configmaps" }) {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details, code };
}

// Resource versions: the cluster's starts at RV_START; the config map is created at RV_CREATED (or right after the
// current version, after a compaction), the same in every stand-in sharing a phase file. A real apiserver keeps
// about 5 minutes of history; here anything older than the last compaction is gone (410 Expired).
const RV_START = 4000;
const RV_CREATED = 4242;
const configMap = (resourceVersion: number) => ({
  kind: "ConfigMap",
  apiVersion: "v1",
  metadata: { name: "bootstrap", namespace: "kube-system", uid: "6d1f0c55-0000-4000-8000-000000000001", resourceVersion: String(resourceVersion) },
  data: { status: "complete" },
});
const CM_PATH = "/api/v1/namespaces/kube-system/configmaps";

export async function startKubeApiStandin(options: StandinPhase | StandinOptions = "starting"): Promise<KubeApiStandin> {
  const opts: StandinOptions = typeof options === "string" ? { initial: options } : options;
  const ownDir = opts.certDir ? null : mkdtempSync(path.join(tmpdir(), "kube-standin-"));
  const certs = ensureStandinCerts(opts.certDir ?? (ownDir as string));
  const phaseFile = opts.phaseFile;
  let phase: StandinPhase = "starting";
  const readPhase = () => {
    if (!phaseFile || !existsSync(phaseFile)) return;
    const value = readFileSync(phaseFile, "utf8").trim();
    if (value === "starting" || value === "ready" || value === "complete") setLocalPhase(value);
  };
  const watchers = new Set<ServerResponse>();
  let version = RV_START; // the cluster's current resource version
  let oldest = RV_START; // the oldest version still in the history
  let createdAt: number | null = null; // the config map's version once it exists
  const setLocalPhase = (next: StandinPhase) => {
    const created = phase !== "complete" && next === "complete";
    phase = next;
    if (!created) return;
    createdAt = version = Math.max(RV_CREATED, version + 1);
    for (const res of watchers) res.write(`${JSON.stringify({ type: "ADDED", object: configMap(createdAt) })}\n`);
  };
  // A stand-in that starts "complete" has the config map from the start, as an apiserver after bootkube has.
  setLocalPhase(opts.initial ?? "starting");
  if (phaseFile) {
    if (opts.initial || !existsSync(phaseFile)) writeFileSync(phaseFile, `${phase}\n`);
    readPhase();
    watchFile(phaseFile, { interval: 50 }, readPhase);
  }
  const seen: string[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? "/", "https://standin");
    // Node reports a resumed TLS session as authorized even when no client certificate was ever sent:
    // require the certificate itself too.
    const socket = req.socket as TLSSocket;
    const authenticated = socket.authorized && Object.keys(socket.getPeerCertificate()).length > 0;
    const json = (code: number, body: unknown) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/readyz") {
      // During bootstrap the apiserver answers 500 with the failing checks listed.
      if (phase === "starting") {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        return res.end("[-]etcd failed: reason withheld\nreadyz check failed\n");
      }
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      return res.end("ok");
    }
    const forbidden = (verb: string) =>
      json(403, status(403, "Forbidden", `configmaps${verb === "get" ? ' "bootstrap"' : ""} is forbidden: User "system:anonymous" cannot ${verb} resource "configmaps" in API group "" in the namespace "kube-system"`));
    if (req.method === "GET" && url.pathname === `${CM_PATH}/bootstrap`) {
      if (!authenticated) return forbidden("get");
      if (createdAt === null) return json(404, status(404, "NotFound", 'configmaps "bootstrap" not found'));
      return json(200, configMap(createdAt));
    }
    if (req.method === "GET" && url.pathname === CM_PATH) {
      const watch = url.searchParams.get("watch");
      if (!authenticated) return forbidden(watch === "true" || watch === "1" ? "watch" : "list");
      const selector = url.searchParams.get("fieldSelector");
      const items = createdAt !== null && (selector === null || selector === "metadata.name=bootstrap") ? [configMap(createdAt)] : [];
      if (watch !== "true" && watch !== "1") {
        return json(200, { kind: "ConfigMapList", apiVersion: "v1", metadata: { resourceVersion: String(version) }, items });
      }
      const from = url.searchParams.get("resourceVersion");
      res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
      const fromStart = from === null || from === "" || from === "0";
      if (!fromStart && Number(from) < oldest) {
        res.end(`${JSON.stringify({ type: "ERROR", object: status(410, "Expired", `too old resource version: ${from} (${oldest})`, {}) })}\n`);
        return;
      }
      // Without a resourceVersion (or "0") a watch starts with the current state as ADDED events.
      const replay = fromStart || (createdAt !== null && Number(from) < createdAt);
      if (replay) for (const item of items) res.write(`${JSON.stringify({ type: "ADDED", object: item })}\n`);
      watchers.add(res);
      const timeout = Number(url.searchParams.get("timeoutSeconds") ?? "1800");
      const timer = setTimeout(() => res.end(), timeout * 1000);
      res.on("close", () => {
        clearTimeout(timer);
        watchers.delete(res);
      });
      return;
    }
    json(404, status(404, "NotFound", "the server could not find the requested resource", {}));
  };

  const server = https.createServer({ key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true, rejectUnauthorized: false }, handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve);
  });
  const url = `https://${opts.host && opts.host !== "0.0.0.0" ? opts.host : "127.0.0.1"}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    kubeconfig: standinKubeconfig(certs, opts.server ?? url),
    setPhase: (p) => {
      if (phaseFile) writeFileSync(phaseFile, `${p}\n`);
      setLocalPhase(p);
    },
    compact: () => {
      version += 1000;
      oldest = version;
    },
    requests: () => [...seen],
    stop: async () => {
      if (phaseFile) unwatchFile(phaseFile);
      for (const res of watchers) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}
