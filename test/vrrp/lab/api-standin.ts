// One node's kube-apiserver stand-in for the api-mode lab, on :6443 of the node's namespace: the lab's cluster CA
// and serving certificate ($STATE/pki), and the cluster state shared by every node's stand-in ($STATE/bootstrap-phase:
// starting | ready | complete). See test/support/kube-api-standin.ts for what it answers.
// usage: npx tsx test/vrrp/lab/api-standin.ts STATE
import path from "node:path";
import { startKubeApiStandin } from "../../support/kube-api-standin";

const [state] = process.argv.slice(2);
if (!state) {
  console.error("usage: api-standin.ts STATE");
  process.exit(2);
}
startKubeApiStandin({ host: "0.0.0.0", port: 6443, certDir: path.join(state, "pki"), phaseFile: path.join(state, "bootstrap-phase") }).then(
  (api) => {
    console.log(`kube-apiserver stand-in on ${api.url}`);
    const stop = () => void api.stop().then(() => process.exit(0));
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
