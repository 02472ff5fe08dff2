// Tripod's bootstrap-complete detection (lib/lifecycle/bootstrap-complete.ts) run in the client namespace against
// the lab's stand-ins: the endpoints are those of the lab's spec (masters' Cluster addresses, the VIPs, the
// kubeconfig's server). Prints one JSON line when it fires: {"at": <ms>, "endpoint": "<label>"}.
// usage: npx tsx test/vrrp/lab/detect.ts STATE
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ClusterSpec } from "@/lib/cluster-spec";
import { bootstrapEndpoints, parseKubeconfig, waitForBootstrapComplete } from "@/lib/lifecycle/bootstrap-complete";

const [state] = process.argv.slice(2);
const access = parseKubeconfig(readFileSync(path.join(state, "kubeconfig"), "utf8"));
const spec = JSON.parse(readFileSync(path.join(state, "spec.json"), "utf8")) as ClusterSpec;
const stop = new AbortController();
process.on("SIGTERM", () => stop.abort());
waitForBootstrapComplete(access, bootstrapEndpoints(spec, access), {
  signal: stop.signal,
  onDetail: (d) => console.error(`${new Date().toISOString()} ${d}`),
  timeoutMs: 1000,
  retryMs: 200,
}).then(
  (endpoint) => {
    console.log(JSON.stringify({ at: Date.now(), endpoint: endpoint.label }));
    process.exit(0);
  },
  () => process.exit(1),
);
