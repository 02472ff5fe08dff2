// down.sh and check-down.sh on a stand-in "cloud" of plain processes in a temporary state dir: down.sh
// stops a daemon with its session and the descendants that left it, and check-down.sh fails exactly while
// anything of the cloud is left.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sleep } from "@/lib/util/sleep";

let state: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), "tripod-cloud-test-"));
  mkdirSync(join(state, "run"));
  // Ports nobody listens on, so that only the processes decide.
  const ports = Object.fromEntries(
    ["KEYSTONE", "NOVA", "PLACEMENT", "GLANCE", "NEUTRON", "SWIFT", "SWIFT_OBJECT", "SWIFT_CONTAINER", "SWIFT_ACCOUNT", "AMQP", "AMQP_DIST", "EPMD"].map(
      (name, i) => [`TRIPOD_CLOUD_PORT_${name}`, String(1 + i)],
    ),
  );
  env = { ...process.env, ...ports, TRIPOD_CLOUD_STATE: state };
});

afterEach(() => {
  // Whatever a failing test left behind: processes carrying this state dir's mark.
  const mark = `TRIPOD_CLOUD_MEMBER=${state}/`;
  const leftovers = spawnSync("bash", ["-c", `grep -lzxF -- "$1" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3`, "_", mark], {
    encoding: "utf8",
  }).stdout.trim();
  for (const pid of leftovers.split("\n").filter(Boolean)) process.kill(Number(pid), "SIGKILL");
  rmSync(state, { recursive: true, force: true });
});

/** A stand-in daemon as up.sh starts one: own session, the mark in its environment, PID file, sessions.log.
 *  It forks a child that stays in the session and a grandchild that moves to a session of its own. */
function startDaemon(name: string): number {
  const script = 'sleep 300 & setsid sleep 301 & wait';
  const pid = Number(
    execFileSync("bash", ["-c", `setsid bash -c '${script}' > /dev/null 2>&1 < /dev/null & echo $!`], {
      env: { ...env, TRIPOD_CLOUD_MEMBER: `${state}/` },
      encoding: "utf8",
    }).trim(),
  );
  writeFileSync(join(state, "run", `${name}.pid`), `${pid}\n`);
  appendFileSync(join(state, "run", "sessions.log"), `${name} ${pid}\n`);
  return pid;
}

const run = (script: string) => spawnSync("bash", [`test/cloud/${script}`], { env, encoding: "utf8" });

describe("down.sh and check-down.sh", () => {
  it("stop a daemon with its session and escaped descendants; check-down fails before and passes after", { timeout: 60_000 }, async () => {
    startDaemon("keystone");
    startDaemon("mariadb");
    await sleep(300); // let the stand-ins fork their children
    const before = run("check-down.sh");
    expect(before.status).toBe(1);
    expect(before.stderr).toMatch(/keystone still running/);
    expect(before.stderr).toMatch(/carries the cloud's mark: .*sleep 301/);

    const down = run("down.sh");
    expect(down.status, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/stopped keystone/);
    expect(down.stdout).toMatch(/stopped mariadb/);

    const after = run("check-down.sh");
    expect(after.stderr).toBe("");
    expect(after.status).toBe(0);
  });

  it("never signals a recorded PID that is no longer the cloud's", { timeout: 60_000 }, () => {
    // A PID file naming a live process without the mark: a daemon that died and whose PID was reused.
    const stranger = spawnSync("bash", ["-c", "sleep 30 > /dev/null 2>&1 & echo $!"], { encoding: "utf8" });
    const pid = Number(stranger.stdout.trim());
    try {
      writeFileSync(join(state, "run", "keystone.pid"), `${pid}\n`);
      expect(run("down.sh").status).toBe(0);
      expect(() => process.kill(pid, 0)).not.toThrow();
      expect(run("check-down.sh").status).toBe(0);
    } finally {
      process.kill(pid, "SIGKILL");
    }
  });
});
