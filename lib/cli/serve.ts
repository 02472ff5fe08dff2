// `npm run serve` (lib/cli/serve.ts, compiled by `npm run build` to .next/tripod/cli/serve.js): the dashboard's
// HTTP server on $TRIPOD_BIND_ADDRESS:$PORT (127.0.0.1:3000). Next.js's production server (the same request
// handling as `next start`) answers everything but the requests lib/outside-next.ts lists, the VIP agents' messages.
// Every answer gets a content security policy with a script nonce of its own, and HSTS when NEXTAUTH_URL is https
// (lib/security-headers.ts).
// Stops as `next start` does on SIGTERM/SIGINT: no new connections, the requests in flight answered, then Next.js
// closed. Run from the repository's root (NODE_ENV=production, as the script sets it).
import { createServer } from "node:http";
import next from "next";
import { outsideNextOr } from "../outside-next";
import { transportSecurityHeaders, withContentSecurityPolicy, withHeaders } from "../security-headers";

const hostname = process.env.TRIPOD_BIND_ADDRESS || "127.0.0.1";
const port = Number(process.env.PORT || 3000);

async function main() {
  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer(
    withHeaders(
      transportSecurityHeaders(),
      withContentSecurityPolicy(
        outsideNextOr((req, res) => {
          handle(req, res).catch((error: unknown) => {
            // an error Next.js's handler did not answer itself: 500, as `next start` answers it
            console.error(error);
            if (!res.headersSent) res.writeHead(500).end("Internal Server Error");
          });
        }),
      ),
    ),
  );
  server.on("error", (error) => {
    console.error(`[tripod] the server stopped: ${error.message}`);
    process.exit(1);
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    server.close(() => void app.close().finally(() => process.exit(signal === "SIGINT" ? 130 : 143)));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  server.listen(port, hostname, () => console.log(`[tripod] serving on http://${hostname}:${port}`));
}

main().catch((error: unknown) => {
  console.error(`[tripod] the server did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
