import { connect } from "node:net";
import { request } from "node:https";
import type { ProbeResult } from "./health";
import type { VipDefinition } from "./observations";

// Reachability of the VIPs from Tripod's side (REPORT §8.2: "keepalived healthy" is not "VIP answers"):
// TCP and HTTPS /readyz on the API VIP, TCP 80/443 on the Ingress VIP, each with a timeout, each on a new
// connection so a stale ARP entry or a moved VIP shows up.

export interface ProbeCheck {
  check: string;
  run(address: string, timeoutMs: number): Promise<void>;
}

/** The effects, behind an interface so the health logic can be tested with fixed answers. */
export interface Prober {
  tcp(address: string, port: number, timeoutMs: number): Promise<void>;
  httpsStatus(address: string, port: number, path: string, timeoutMs: number): Promise<number>;
}

export class ProbeError extends Error {
  constructor(readonly kind: "timeout" | "refused" | "http-status" | "network", detail: string) {
    super(detail);
    this.name = "ProbeError";
  }
}

function networkError(e: NodeJS.ErrnoException): ProbeError {
  return new ProbeError(e.code === "ECONNREFUSED" ? "refused" : "network", e.code ?? e.message);
}

export const netProber: Prober = {
  tcp(address, port, timeoutMs) {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: address, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ProbeError("timeout", `no TCP answer in ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      });
      socket.once("error", (e) => {
        clearTimeout(timer);
        reject(networkError(e));
      });
    });
  },
  httpsStatus(address, port, path, timeoutMs) {
    return new Promise((resolve, reject) => {
      // Reachability, not trust: the apiserver's certificate is the cluster's own CA, which Tripod does not pin.
      const req = request({ host: address, port, path, method: "GET", rejectUnauthorized: false, agent: false, timeout: timeoutMs }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.once("timeout", () => req.destroy(new ProbeError("timeout", `no HTTPS answer in ${timeoutMs} ms`)));
      req.once("error", (e) => reject(e instanceof ProbeError ? e : networkError(e)));
      req.end();
    });
  },
};

export function checksFor(vip: VipDefinition["name"], prober: Prober): ProbeCheck[] {
  if (vip === "api") {
    return [
      { check: "tcp:6443", run: (a, t) => prober.tcp(a, 6443, t) },
      {
        check: "https:6443/readyz",
        run: async (a, t) => {
          const status = await prober.httpsStatus(a, 6443, "/readyz", t);
          if (status !== 200) throw new ProbeError("http-status", `HTTP ${status}`);
        },
      },
    ];
  }
  return [
    { check: "tcp:80", run: (a, t) => prober.tcp(a, 80, t) },
    { check: "tcp:443", run: (a, t) => prober.tcp(a, 443, t) },
  ];
}

export async function probeVips(
  vips: VipDefinition[],
  opts: { prober?: Prober; timeoutMs?: number; now?: () => Date } = {},
): Promise<ProbeResult[]> {
  const prober = opts.prober ?? netProber;
  const timeoutMs = opts.timeoutMs ?? 2000;
  const now = opts.now ?? (() => new Date());
  const runs = vips.flatMap((v) =>
    checksFor(v.name, prober).map(async (c): Promise<ProbeResult> => {
      const at = now();
      const t0 = performance.now();
      try {
        await c.run(v.address, timeoutMs);
        return { vip: v.name, check: c.check, ok: true, latencyMs: Math.round(performance.now() - t0), error: null, at };
      } catch (e) {
        const error = e instanceof ProbeError ? `${e.kind}: ${e.message}` : String(e);
        return { vip: v.name, check: c.check, ok: false, latencyMs: Math.round(performance.now() - t0), error, at };
      }
    }),
  );
  return Promise.all(runs);
}
