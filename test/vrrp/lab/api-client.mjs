// The lab's API client, run in the client namespace: GET URL/readyz ten times a second, each call on a new
// connection with a 1 s timeout, verifying the serving certificate against the cluster CA and SERVERNAME. Appends
// one line per finished call to OUT: "<start ms> <end ms> <1|0> <status or error>".
// usage: node api-client.mjs URL CA SERVERNAME OUT
import { appendFileSync, readFileSync } from "node:fs";
import https from "node:https";

const [url, caFile, servername, out] = process.argv.slice(2);
if (!out) {
  console.error("usage: api-client.mjs URL CA SERVERNAME OUT");
  process.exit(2);
}
const ca = readFileSync(caFile);
const call = () => {
  const start = Date.now();
  let done = false;
  const finish = (ok, what) => {
    if (done) return;
    done = true;
    appendFileSync(out, `${start} ${Date.now()} ${ok ? 1 : 0} ${what}\n`);
  };
  const req = https.get(`${url}/readyz`, { ca, servername, agent: false, timeout: 1000 }, (res) => {
    res.resume();
    res.on("end", () => finish(res.statusCode === 200, res.statusCode));
    res.on("error", (e) => finish(false, e.code ?? "error"));
  });
  req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
  req.on("error", (e) => finish(false, e.code ?? "error"));
};
const timer = setInterval(call, 100);
const stop = () => {
  clearInterval(timer);
  setTimeout(() => process.exit(0), 1100);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
