import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

// The lifecycle worker as a real separate process, started with `npm run worker`'s own command line (package.json:
// its Node.js flags and NODE_OPTIONS) through `exec env`, so that the process is Node.js itself: a SIGKILL kills the
// worker, mid-request or mid-transaction, exactly as a crash would.
export const WORKER_COMMAND: string = JSON.parse(readFileSync("package.json", "utf8")).scripts.worker;

export interface WorkerProcessOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  /** The README's defaults (as deployed) instead of CRASH_TEST_ENV's short lease and polls; `env` still applies. */
  productionSettings?: boolean;
  onOutput?: (line: string) => void;
}

export const CRASH_TEST_ENV = {
  TRIPOD_LEASE_MS: "2000",
  TRIPOD_WORKER_POLL_MS: "200",
  TRIPOD_POLL_MS: "500",
  TRIPOD_BOOTSTRAP_POLL_MS: "500",
  TRIPOD_BOOTSTRAP_VIA_NODES: "0", // the stand-in API is the kubeconfig's 127.0.0.1 server; node addresses exist only in Neutron
  TRIPOD_CONVERGE_DELAY_MS: "500",
  TRIPOD_SETTLE_MS: "4000",
};

export class WorkerProcess {
  private child: ChildProcess | undefined;
  starts = 0;

  constructor(private readonly options: WorkerProcessOptions) {}

  /** The running process's id (its lease owner is `<hostname>:<pid>`). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    this.starts += 1;
    const child = spawn("sh", ["-c", `exec env ${WORKER_COMMAND}`], {
      env: { ...process.env, ...(this.options.productionSettings ? {} : CRASH_TEST_ENV), ...this.options.env, DATABASE_URL: this.options.databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const forward = (chunk: Buffer) => chunk.toString().split("\n").filter(Boolean).forEach((l) => this.options.onOutput?.(l));
    child.stdout?.on("data", forward);
    child.stderr?.on("data", forward);
    this.child = child;
  }

  /** SIGKILL, and wait until the process is really gone. */
  kill(): Promise<void> {
    return this.terminate("SIGKILL");
  }

  /** SIGTERM (a clean stop), SIGKILL after 10 s. */
  stop(): Promise<void> {
    return this.terminate("SIGTERM");
  }

  private async terminate(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill(signal);
      if (signal !== "SIGKILL") setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    });
  }
}
