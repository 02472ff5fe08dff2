// A custom CA bundle: Keystone behind a TLS front whose certificate is signed by a CA made for this test (openssl),
// so only a client given that CA (as PEM text, or as clouds.yaml `cacert`) can authenticate.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/openstack/client";
import { loadCloud } from "@/lib/openstack/config";
import { isTlsFailed, OpenStackError } from "@/lib/openstack/errors";
import { cloudOptions, recordingSession, seed } from "./cloud";

const dir = mkdtempSync(path.join(tmpdir(), "tripod-tls-"));
let server: https.Server;
let authUrl = "";

function openssl(...args: string[]) {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

beforeAll(async () => {
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=tripod test CA");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(path.join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
  openssl("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "srv.pem", "-days", "1", "-extfile", "ext.cnf");
  const keystone = new URL(seed.authUrl);
  server = https.createServer({ key: readFileSync(path.join(dir, "srv.key")), cert: readFileSync(path.join(dir, "srv.pem")) }, (req, res) => {
    const upstream = http.request(
      { host: keystone.hostname, port: keystone.port, path: req.url, method: req.method, headers: { ...req.headers, host: keystone.host, connection: "close" } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  authUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("custom CA bundle", { timeout: 60_000 }, () => {
  it("authenticates over TLS when given the CA as PEM text", async () => {
    const s = createSession({ ...cloudOptions(), authUrl, caBundle: readFileSync(path.join(dir, "ca.pem"), "utf8") });
    expect(await s.projectId()).toMatch(/^[0-9a-f]{32}$/);
  });

  it("reads the CA from clouds.yaml `cacert`", async () => {
    const opts = cloudOptions();
    const auth = opts.auth.type === "password" ? opts.auth : undefined;
    writeFileSync(
      path.join(dir, "clouds.yaml"),
      [
        "clouds:",
        "  tls:",
        "    auth:",
        `      auth_url: ${authUrl}`,
        `      username: ${auth?.username}`,
        `      password: ${auth?.password}`,
        `      project_name: ${auth?.projectName}`,
        `      domain_name: ${auth?.userDomainName}`,
        `    cacert: ${path.join(dir, "ca.pem")}`,
      ].join("\n"),
    );
    const cloud = loadCloud({ cloud: "tls", env: {}, cwd: dir, home: dir });
    expect(await createSession(cloud.session).projectId()).toMatch(/^[0-9a-f]{32}$/);
  });

  it("without the CA the certificate is refused at once (TlsFailed, not retried)", async () => {
    const { session: s, events } = recordingSession({ authUrl });
    const err = await s.currentToken().catch((e: unknown) => e);
    expect(isTlsFailed(err)).toBe(true);
    expect((err as OpenStackError).message).toMatch(/does not trust .*cacert/);
    expect(events).toHaveLength(1);
  });
});
