import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer as createTcpServer, type Server } from "node:net";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { netProber, probeVips, ProbeError, type Prober } from "@/lib/vip/probe";
import { API, INGRESS } from "./fixtures";

const listen = (s: Server) => new Promise<number>((r) => s.listen(0, "127.0.0.1", () => r((s.address() as { port: number }).port)));

describe("netProber (real sockets on 127.0.0.1)", () => {
  const silent = createTcpServer(() => {}); // accepts, never speaks: a TLS handshake times out
  let tls: ReturnType<typeof createHttpsServer>;
  let silentPort = 0;
  let tlsPort = 0;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vip-probe-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=api",
      "-keyout", `${dir}/k.pem`, "-out", `${dir}/c.pem`], { stdio: "ignore" });
    tls = createHttpsServer({ key: readFileSync(`${dir}/k.pem`), cert: readFileSync(`${dir}/c.pem`) }, (req, res) => {
      res.writeHead(req.url === "/readyz" ? 200 : 503);
      res.end();
    });
    silentPort = await listen(silent);
    tlsPort = await listen(tls);
  });
  afterAll(() => {
    silent.close();
    tls.close();
  });

  it("TCP: connects, or says refused", async () => {
    await expect(netProber.tcp("127.0.0.1", tlsPort, 1000)).resolves.toBeUndefined();
    const closed = createTcpServer();
    const port = await listen(closed);
    closed.close();
    await expect(netProber.tcp("127.0.0.1", port, 1000)).rejects.toMatchObject({ kind: "refused" });
  });

  it("HTTPS: the status of a self-signed server, a timeout when nothing answers", async () => {
    expect(await netProber.httpsStatus("127.0.0.1", tlsPort, "/readyz", 2000)).toBe(200);
    expect(await netProber.httpsStatus("127.0.0.1", tlsPort, "/other", 2000)).toBe(503);
    await expect(netProber.httpsStatus("127.0.0.1", silentPort, "/readyz", 300)).rejects.toMatchObject({ kind: "timeout" });
  });
});

describe("probeVips", () => {
  it("TCP + HTTPS /readyz on the API VIP, TCP 80/443 on the Ingress VIP; failures named", async () => {
    const calls: string[] = [];
    const prober: Prober = {
      async tcp(a, port) {
        calls.push(`tcp ${a}:${port}`);
        if (port === 443) throw new ProbeError("timeout", "no TCP answer in 1000 ms");
      },
      async httpsStatus(a, port, p) {
        calls.push(`https ${a}:${port}${p}`);
        return 503;
      },
    };
    const results = await probeVips([API, INGRESS], { prober, timeoutMs: 1000 });
    expect(calls.sort()).toEqual(["https 198.51.100.5:6443/readyz", "tcp 198.51.100.5:6443", "tcp 198.51.100.7:443", "tcp 198.51.100.7:80"]);
    expect(results.map((r) => [r.vip, r.check, r.ok, r.error])).toEqual([
      ["api", "tcp:6443", true, null],
      ["api", "https:6443/readyz", false, "http-status: HTTP 503"],
      ["ingress", "tcp:80", true, null],
      ["ingress", "tcp:443", false, "timeout: no TCP answer in 1000 ms"],
    ]);
  });
});
