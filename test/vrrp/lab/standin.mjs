// Stand-in for one node's services, run inside that node's network namespace:
//   :6443 HTTPS kube-apiserver (/readyz 200), :22623 HTTPS machine-config server, :1936 HTTP router health,
//   :80 HTTP and :443 HTTPS ingress. Every answer names the node (X-Node header); the keepalived track
//   scripts rendered by Tripod's templates check these.
// usage: node standin.mjs NODE CERT KEY [--no-api]   (--no-api: :6443 is served by api-standin.ts instead)
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";

const [node, cert, key, flag] = process.argv.slice(2);
if (!node || !cert || !key) {
  console.error("usage: standin.mjs NODE CERT KEY");
  process.exit(2);
}
const tls = { cert: readFileSync(cert), key: readFileSync(key) };
const answer = (body) => (req, res) => {
  res.writeHead(200, { "content-type": "text/plain", "x-node": node, connection: "close" });
  res.end(`${body} ${node}\n`);
};
const servers = [
  ...(flag === "--no-api" ? [] : [https.createServer(tls, answer("ok")).listen(6443, "0.0.0.0")]),
  https.createServer(tls, answer("ok")).listen(22623, "0.0.0.0"),
  http.createServer(answer("ok")).listen(1936, "0.0.0.0"),
  http.createServer(answer("ingress")).listen(80, "0.0.0.0"),
  https.createServer(tls, answer("ingress")).listen(443, "0.0.0.0"),
];
for (const s of servers) s.on("error", (e) => { console.error(`${node}: ${e.message}`); process.exit(1); });
const stop = () => { for (const s of servers) s.close(); process.exit(0); };
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
