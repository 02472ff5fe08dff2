import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

// A dashboard as its own server process: `npm run serve` (migrate deploy, then the production build on
// $TRIPOD_BIND_ADDRESS:$PORT; `npm run build` must have run), in a process group of its own so that stopping it
// stops npm, the shell and Next.js together.

export interface DashboardOptions {
  port: number;
  databaseUrl: string;
  env?: Record<string, string>;
  onOutput?: (line: string) => void;
}

/** The environment of `npm run serve` for a dashboard on 127.0.0.1:`port` (its address as NEXTAUTH_URL unless `env` says). */
export function serveEnvironment(options: Omit<DashboardOptions, "onOutput">): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEXTAUTH_URL: `http://127.0.0.1:${options.port}`,
    ...options.env,
    DATABASE_URL: options.databaseUrl,
    PORT: String(options.port),
    TRIPOD_BIND_ADDRESS: "127.0.0.1",
    NODE_ENV: "production",
  };
}

export class DashboardProcess {
  private child: ChildProcess | undefined;
  readonly url: string;

  constructor(private readonly options: DashboardOptions) {
    this.url = `http://127.0.0.1:${options.port}`;
  }

  /** The id of `npm run serve` (the Next.js server is its descendant). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Starts the server and waits until /api/health answers. A port already taken (a dashboard left by a run that was
   * killed: its process group outlives the runner) is refused at once: its health would answer for the new one.
   */
  async start(boundMs = 120_000): Promise<void> {
    await portFree(this.options.port);
    const child = spawn("npm", ["run", "--silent", "serve"], {
      env: serveEnvironment(this.options),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    // The last lines go into the error when it does not come up.
    const last: string[] = [];
    const forward = (chunk: Buffer) =>
      chunk
        .toString()
        .split("\n")
        .filter(Boolean)
        .forEach((l) => {
          last.push(l);
          if (last.length > 20) last.shift();
          this.options.onOutput?.(l);
        });
    child.stdout?.on("data", forward);
    child.stderr?.on("data", forward);
    this.child = child;
    const deadline = Date.now() + boundMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`dashboard on port ${this.options.port} exited with ${child.exitCode}:\n${last.join("\n")}`);
      const ok = await fetch(`${this.url}/api/health`).then((r) => r.ok, () => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`dashboard on port ${this.options.port} did not answer /api/health`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** SIGTERM to the whole process group, SIGKILL after 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const group = -child.pid;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      process.kill(group, "SIGTERM");
      setTimeout(() => {
        try {
          process.kill(group, "SIGKILL");
        } catch {
          // already gone
        }
      }, 10_000).unref();
    });
  }
}

function portFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`port ${port} is taken (a dashboard left by an interrupted run? fuser -k ${port}/tcp)`) : error),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}
