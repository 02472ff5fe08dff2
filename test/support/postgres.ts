import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

// A real PostgreSQL from Debian's `postgresql` package for the tests: its own data directory, one address (127.0.0.1
// unless told), no Unix socket, trust authentication for the `tripod` superuser. As root the server runs as the
// `postgres` user (PostgreSQL refuses to run as root).

export const PG_BIN = process.env.TRIPOD_PG_BIN ?? "/usr/lib/postgresql/15/bin";
export const PG_PORT = Number(process.env.TRIPOD_PG_PORT ?? 55432);
const PG_USER = "tripod";

export interface PostgresServer {
  port: number;
  /** The postmaster's pid: its children are the connections' backends and the server's own processes. */
  pid: number;
  /** URL of a database on this server. */
  url(database: string): string;
  stop(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program, as the `postgres` user when we are root. */
function pgExec(program: string, args: string[]): string {
  const bin = path.join(PG_BIN, program);
  return asRoot ? execFileSync("runuser", ["-u", "postgres", "--", bin, ...args], { encoding: "utf8" }) : execFileSync(bin, args, { encoding: "utf8" });
}

function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** Runs one statement with `psql` in the maintenance database of the server that `url` points at. */
function adminSql(url: string, sql: string): void {
  const u = new URL(url);
  u.pathname = "/postgres";
  execFileSync(path.join(PG_BIN, "psql"), [u.toString(), "-v", "ON_ERROR_STOP=1", "-qc", sql], { stdio: "pipe" });
}

/** A database `name` on the server of `url` (the tests' PostgreSQL); returns its URL. */
export function createDatabase(url: string, name: string): string {
  adminSql(url, `CREATE DATABASE "${name}"`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops the database that `url` names, disconnecting whoever is still connected. */
export function dropDatabase(url: string): void {
  adminSql(url, `DROP DATABASE IF EXISTS "${decodeURIComponent(new URL(url).pathname.slice(1))}" WITH (FORCE)`);
}

export interface PostgresOptions {
  /** Commits flushed as PostgreSQL's defaults do, for benches that compare with production. */
  durable?: boolean;
  /** The address it listens on (and clients of its subnet are let in from). */
  host?: string;
  /** A command the server runs under, e.g. `ip netns exec <namespace>` (the address is the namespace's). */
  prefix?: string[];
}

/**
 * initdb into `dir` (a fresh directory; whatever was there is removed) and start the server on `host`:`port`.
 * Settings for a throw-away test cluster: no fsync (unless `durable`), enough connections for two dashboards and two
 * workers.
 */
export async function startPostgres(dir: string, port = PG_PORT, { durable = false, host = "127.0.0.1", prefix = [] }: PostgresOptions = {}): Promise<PostgresServer> {
  if (await portInUse(host, port)) throw new Error(`${host}:${port} is already in use: is another PostgreSQL test run still going?`);
  const data = path.resolve(dir);
  rmSync(data, { recursive: true, force: true });
  // the parents as any directory (the server's user passes through them), the data directory its own
  mkdirSync(path.dirname(data), { recursive: true });
  mkdirSync(data, { mode: 0o700 });
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(data, uid, gid);
  }
  pgExec("initdb", ["-D", data, "--username", PG_USER, "--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-sync"]);
  const conf = [
    `listen_addresses = '${host}'`,
    `port = ${port}`,
    "unix_socket_directories = ''",
    "max_connections = 300",
    ...(durable ? [] : ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]),
    "log_min_messages = warning",
    "logging_collector = off",
  ].join("\n");
  writeFileSync(path.join(data, "postgresql.conf"), `${readFileSync(path.join(data, "postgresql.conf"), "utf8")}\n# tripod tests\n${conf}\n`);
  // initdb lets in 127.0.0.1 only; clients on the listen address's subnet too (nothing else reaches that address)
  writeFileSync(path.join(data, "pg_hba.conf"), `${readFileSync(path.join(data, "pg_hba.conf"), "utf8")}\nhost all all samenet trust\n`);
  const command = [...prefix, ...(asRoot ? ["runuser", "-u", "postgres", "--"] : []), path.join(PG_BIN, "postgres"), "-D", data];
  const child: ChildProcess = spawn(command[0], command.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.on("data", (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}):\n${log}`);
    try {
      execFileSync(path.join(PG_BIN, "pg_isready"), ["-h", host, "-p", String(port), "-U", PG_USER, "-d", "postgres"], { stdio: "pipe" });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`postgres did not become ready:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    port,
    pid: Number(readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]),
    url: (database) => `postgresql://${PG_USER}@${host}:${port}/${database}`,
    stop: async () => {
      if (child.exitCode === null) {
        // pg_ctl's "fast" shutdown; postgres itself is a child of runuser, so signal it through its pid file.
        const pidFile = path.join(data, "postmaster.pid");
        if (existsSync(pidFile)) {
          const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
          await new Promise<void>((resolve) => {
            child.once("exit", () => resolve());
            process.kill(pid, "SIGINT");
          });
        }
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** A server of startPostgres that is also stopped and started again on its data, as a restart of PostgreSQL is. */
export interface RestartablePostgres extends PostgresServer {
  /** `pg_ctl stop -m fast` (a minor update, `systemctl restart postgresql`): every connection ended, new ones refused. */
  halt(): void;
  /** `pg_ctl start` on the same data; returns once it accepts connections. */
  resume(): void;
  /** SIGSTOP to the postmaster: connections are accepted (by the kernel) and never answered, as by a hung server. */
  freeze(): void;
  thaw(): void;
}

/** startPostgres into `dir` on `port`, restartable (RestartablePostgres); `stop` stops whichever server runs on it. */
export async function startRestartablePostgres(dir: string, port: number): Promise<RestartablePostgres> {
  const data = path.resolve(dir);
  const server = await startPostgres(data, port);
  const pidFile = path.join(data, "postmaster.pid");
  const postmaster = () => Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  const pgCtl = (...args: string[]) => void pgExec("pg_ctl", ["-D", data, ...args]);
  return {
    port,
    get pid() {
      return postmaster();
    },
    url: server.url,
    halt: () => pgCtl("stop", "-m", "fast", "-w"),
    // the log inside the data directory: the server's user may write there
    resume: () => pgCtl("start", "-w", "-l", path.join(data, "restarted.log")),
    freeze: () => process.kill(postmaster(), "SIGSTOP"),
    thaw: () => process.kill(postmaster(), "SIGCONT"),
    stop: async () => {
      try {
        if (existsSync(pidFile)) {
          process.kill(postmaster(), "SIGCONT");
          pgCtl("stop", "-m", "fast", "-w");
        }
      } catch {
        // no server left on the data directory
      }
      await server.stop();
    },
  };
}
