// Run the fault proxy on its own, in front of the local cloud (or any Keystone):
//   npx tsx test/cloud/fault-proxy-cli.ts --status5xx 0.3 --latency-ms 50 --seed 7
// Prints the proxy's Keystone URL; on Ctrl-C (or SIGTERM) prints what it injected and stops.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startFaultProxy } from "./fault-proxy";
import type { FaultRates } from "./fault-rules";

const RATE_OPTIONS = {
  status5xx: "status5xx",
  status409: "status409",
  status429: "status429",
  reset: "reset",
  "lost-response": "lostResponse",
  "token-expiry": "tokenExpiry",
  "error-after-effect": "errorAfterEffect",
  "latency-ms": "latencyMs",
} as const satisfies Record<string, keyof FaultRates>;

function defaultKeystoneUrl(): string {
  const state = process.env.TRIPOD_CLOUD_STATE ?? "/var/tmp/tripod-cloud";
  try {
    return (JSON.parse(readFileSync(`${state}/seed.json`, "utf8")) as { authUrl: string }).authUrl;
  } catch {
    return "http://127.0.0.1:5000/v3";
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      keystone: { type: "string" },
      port: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean" },
      ...Object.fromEntries(Object.keys(RATE_OPTIONS).map((name) => [name, { type: "string" as const }])),
    },
  });
  if (values.help) {
    console.log(
      "usage: fault-proxy-cli.ts [--keystone URL] [--port N] [--seed N] " +
        Object.keys(RATE_OPTIONS)
          .map((name) => `[--${name} ${name === "latency-ms" ? "MS" : "P"}]`)
          .join(" "),
    );
    return;
  }
  const rates: Partial<FaultRates> = {};
  for (const [name, field] of Object.entries(RATE_OPTIONS)) {
    const value = (values as Record<string, string | undefined>)[name];
    if (value !== undefined) rates[field] = Number(value);
  }
  const proxy = await startFaultProxy({
    keystoneUrl: values.keystone ?? defaultKeystoneUrl(),
    rates,
    seed: values.seed === undefined ? undefined : Number(values.seed),
    port: values.port === undefined ? undefined : Number(values.port),
  });
  console.log(`fault proxy: auth URL ${proxy.url}`);
  const finish = async () => {
    console.log(JSON.stringify(proxy.stats()));
    await proxy.stop();
    process.exit(0);
  };
  process.on("SIGINT", finish);
  process.on("SIGTERM", finish);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
