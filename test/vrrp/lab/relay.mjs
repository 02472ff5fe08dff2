// A byte relay between two network namespaces, through a Unix socket (the file system is shared, the networks are
// not): run once in the client namespace (TCP on the lab's ingest address -> the socket) and once on the host
// (the socket -> a dashboard on the host's loopback). Each end is HOST:PORT or unix:PATH.
// usage: node relay.mjs LISTEN TARGET
import { rmSync } from "node:fs";
import net from "node:net";

const [listen, target] = process.argv.slice(2);
if (!listen || !target) {
  console.error("usage: relay.mjs LISTEN TARGET   (each HOST:PORT or unix:PATH)");
  process.exit(2);
}
const endpoint = (text) => {
  if (text.startsWith("unix:")) return { path: text.slice(5) };
  const at = text.lastIndexOf(":");
  return { host: text.slice(0, at), port: Number(text.slice(at + 1)) };
};
const from = endpoint(listen);
if (from.path) rmSync(from.path, { force: true });
const server = net.createServer((client) => {
  const upstream = net.connect(endpoint(target));
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", close);
  upstream.on("error", close);
});
server.on("error", (e) => {
  console.error(`relay ${listen}: ${e.message}`);
  process.exit(1);
});
server.listen(from, () => console.log(`relay ${listen} -> ${target}`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
