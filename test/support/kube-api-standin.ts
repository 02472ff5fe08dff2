import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { stringify as toYaml } from "yaml";

// No OpenShift can boot here, so the bootstrap-complete wait is tested against this stand-in. It answers the two
// endpoints `openshift-install wait-for bootstrap-complete` reads exactly as a kube-apiserver does: TLS with the
// cluster CA, client-certificate authentication (as in the installer's admin kubeconfig), /readyz open to
// anonymous users, and Status objects for 403/404 on the kube-system/bootstrap config map.

export type StandinPhase = "starting" | "ready" | "complete";

export interface KubeApiStandin {
  url: string;
  kubeconfig: string;
  setPhase(phase: StandinPhase): void;
  requests(): string[];
  stop(): Promise<void>;
}

function openssl(args: string[], cwd: string) {
  execFileSync("openssl", args, { cwd, stdio: "pipe" });
}

function makeCerts(dir: string) {
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/OU=openshift/CN=kube-apiserver-standin-signer"], dir);
  writeFileSync(path.join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=kube-apiserver"], dir);
  openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext"], dir);
  writeFileSync(path.join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr", "-subj", "/O=system:masters/CN=system:admin"], dir);
  openssl(["x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "client.crt", "-days", "2", "-extfile", "client.ext"], dir);
  const read = (f: string) => readFileSync(path.join(dir, f));
  return { ca: read("ca.crt"), serverKey: read("server.key"), serverCert: read("server.crt"), clientKey: read("client.key"), clientCert: read("client.crt") };
}

function status(code: number, reason: string, message: string) {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details: { name: "bootstrap", kind: "configmaps" }, code };
}

export async function startKubeApiStandin(initial: StandinPhase = "starting"): Promise<KubeApiStandin> {
  const dir = mkdtempSync(path.join(tmpdir(), "kube-standin-"));
  const certs = makeCerts(dir);
  let phase = initial;
  const seen: string[] = [];
  const server = https.createServer(
    { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      // Node reports a resumed TLS session as authorized even when no client certificate was ever sent:
      // require the certificate itself too.
      const socket = req.socket as TLSSocket;
      const authenticated = socket.authorized && Object.keys(socket.getPeerCertificate()).length > 0;
      const json = (code: number, body: unknown) => {
        res.writeHead(code, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.url === "/readyz") {
        // During bootstrap the apiserver answers 500 with the failing checks listed.
        if (phase === "starting") {
          res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
          return res.end("[-]etcd failed: reason withheld\nreadyz check failed\n");
        }
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        return res.end("ok");
      }
      if (req.method === "GET" && req.url === "/api/v1/namespaces/kube-system/configmaps/bootstrap") {
        if (!authenticated) {
          return json(403, status(403, "Forbidden", 'configmaps "bootstrap" is forbidden: User "system:anonymous" cannot get resource "configmaps" in API group "" in the namespace "kube-system"'));
        }
        if (phase !== "complete") return json(404, status(404, "NotFound", 'configmaps "bootstrap" not found'));
        return json(200, {
          kind: "ConfigMap",
          apiVersion: "v1",
          metadata: { name: "bootstrap", namespace: "kube-system", uid: "6d1f0c55-0000-4000-8000-000000000001", resourceVersion: "4242" },
          data: { status: "complete" },
        });
      }
      json(404, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", details: {}, code: 404 });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const b64 = (b: Buffer) => b.toString("base64");
  const kubeconfig = toYaml({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "standin", cluster: { server: url, "certificate-authority-data": b64(certs.ca) } }],
    users: [{ name: "admin", user: { "client-certificate-data": b64(certs.clientCert), "client-key-data": b64(certs.clientKey) } }],
    contexts: [{ name: "admin", context: { cluster: "standin", user: "admin" } }],
    "current-context": "admin",
    preferences: {},
  });
  return {
    url,
    kubeconfig,
    setPhase: (p) => {
      phase = p;
    },
    requests: () => [...seen],
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
