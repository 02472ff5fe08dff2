import http from "node:http";
import type { NodeName } from "@/lib/domain";

// The demo's lab (test/vrrp/lab/demo.ts, started by `npm run demo` when TRIPOD_DEMO_LAB=1): network namespaces
// that play a demo cluster's nodes. Its control socket is all the dashboard knows of it: which node runs what, and
// stop/start of keepalived or the kube-apiserver stand-in on one node. Off (no socket path) in production.

export const LAB_SERVICES = ["keepalived", "api"] as const;
export type LabService = (typeof LAB_SERVICES)[number];
export const LAB_ACTIONS = ["stop", "start"] as const;
export type LabAction = (typeof LAB_ACTIONS)[number];

/** Per node of the lab: whether its keepalived and its API stand-in run. */
export interface LabStatus {
  nodes: { node: NodeName; keepalived: boolean; api: boolean }[];
}

export interface DemoLabClient {
  /** null when the lab plays no node of that cluster. */
  status(clusterId: string): Promise<LabStatus | null>;
  /** The status afterwards; throws with the lab's sentence when it refused (e.g. the service was already stopped). */
  control(clusterId: string, node: NodeName, service: LabService, action: LabAction): Promise<LabStatus>;
}

/** The socket path of TRIPOD_DEMO_LAB_SOCKET (set by `npm run demo` with TRIPOD_DEMO_LAB=1), or null: the demo lab is off. */
export function demoLabSocket(env: Record<string, string | undefined> = process.env): string | null {
  return env.TRIPOD_DEMO_LAB_SOCKET || null;
}

function call(socketPath: string, method: "GET" | "POST", path: string): Promise<{ status: number; body: { error?: string } & Partial<LabStatus> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path, timeout: 15_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 500, body: JSON.parse(text || "{}") }));
    });
    req.on("timeout", () => req.destroy(new Error("the demo lab did not answer within 15 s")));
    req.on("error", reject);
    req.end();
  });
}

/** The client of the demo lab's control socket. */
export function demoLabClient(socketPath: string): DemoLabClient {
  return {
    async status(clusterId) {
      const { status, body } = await call(socketPath, "GET", `/clusters/${encodeURIComponent(clusterId)}`);
      return status === 200 ? { nodes: body.nodes ?? [] } : null;
    },
    async control(clusterId, node, service, action) {
      const { status, body } = await call(socketPath, "POST", `/clusters/${encodeURIComponent(clusterId)}/nodes/${node}/${service}/${action}`);
      if (status !== 200) throw new Error(body.error ?? `the demo lab answered ${status}`);
      return { nodes: body.nodes ?? [] };
    },
  };
}
