import { execFileSync } from "node:child_process";

// A network namespace joined to the host by a veth pair (host side 198.51.100.245/30, namespace side
// 198.51.100.246/30: TEST-NET-2 addresses that nothing else here uses), where a server can vanish without a word:
// nftables inside the namespace (the host's ruleset is never touched) drop every packet to and from its port, as a
// failover's dead address, a partition or a firewall does. Nothing is refused or reset: the server goes silent.

const NAMESPACE = "tripod-pgbh";
const HOST_SIDE = "tripod-pgbh0";
const INSIDE = "tripod-pgbh1";
/** The namespace's address. */
export const BLACK_HOLE_ADDRESS = "198.51.100.246";
const TABLE = "tripod_blackhole";

const run = (command: string, args: string[], input?: string) => execFileSync(command, args, { input, stdio: "pipe" });
const inNamespace = (command: string, args: string[], input?: string) => run("ip", ["netns", "exec", NAMESPACE, command, ...args], input);
const attempt = (action: () => unknown) => {
  try {
    action();
  } catch {
    // not there
  }
};

/** The command prefix that runs a program inside the namespace. */
export const IN_NAMESPACE = ["ip", "netns", "exec", NAMESPACE];

/** The namespace and its veth pair, after removing what a crashed run left (its processes there killed). */
export function createNamespace(): void {
  removeNamespace();
  run("ip", ["netns", "add", NAMESPACE]);
  run("ip", ["link", "add", HOST_SIDE, "type", "veth", "peer", "name", INSIDE, "netns", NAMESPACE]);
  run("ip", ["addr", "add", "198.51.100.245/30", "dev", HOST_SIDE]);
  run("ip", ["link", "set", HOST_SIDE, "up"]);
  run("ip", ["-n", NAMESPACE, "addr", "add", `${BLACK_HOLE_ADDRESS}/30`, "dev", INSIDE]);
  run("ip", ["-n", NAMESPACE, "link", "set", INSIDE, "up"]);
  run("ip", ["-n", NAMESPACE, "link", "set", "lo", "up"]);
}

/** Removes the namespace (with its end of the pair, which takes the host's end along) and whatever still runs in it. */
export function removeNamespace(): void {
  attempt(() => {
    const pids = run("ip", ["netns", "pids", NAMESPACE]).toString().split("\n").filter(Boolean);
    for (const pid of pids) attempt(() => process.kill(Number(pid), "SIGKILL"));
  });
  attempt(() => run("ip", ["netns", "del", NAMESPACE]));
  attempt(() => run("ip", ["link", "del", HOST_SIDE]));
}

/** From now on every packet to and from `port` inside the namespace is dropped. */
export function blackHole(port: number): void {
  inNamespace("nft", ["-f", "-"], `
    table inet ${TABLE} {
      chain input { type filter hook input priority 0; policy accept; tcp dport ${port} drop; }
      chain output { type filter hook output priority 0; policy accept; tcp sport ${port} drop; }
    }`);
}

/** Packets pass again (nothing to lift is fine). */
export function liftBlackHole(): void {
  attempt(() => inNamespace("nft", ["delete", "table", "inet", TABLE]));
}
