import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// `wrangler dev` for the tests that drive the Worker from outside: on loopback, on a free
// port, with its own local D1 and Durable Object state, migrated first, as `npm run dev` does.

const WRANGLER = resolve("node_modules/.bin/wrangler");

export interface DevServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** A TCP port on loopback that nothing listens on now. */
export const freePort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });

function run(args: string[], state: string): ChildProcess {
  return spawn(WRANGLER, args, {
    // Each server leads its own process group, so stop() ends workerd with it.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", XDG_CONFIG_HOME: state },
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((done) => {
    if (child.exitCode !== null) done(child.exitCode);
    else child.once("exit", done);
  });

/**
 * Starts `wrangler dev` with these vars (plus a random JWT_SECRET and PII_MASTER_KEY) and waits
 * until it answers.
 */
export async function startWranglerDev(vars: Record<string, string> = {}): Promise<DevServer> {
  const state = mkdtempSync(join(tmpdir(), "wrangler-dev-"));
  const persist = ["--persist-to", join(state, "state")];
  const migrate = run(["d1", "migrations", "apply", "DB", "--local", ...persist], state);
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  migrate.stdout?.on("data", keep);
  migrate.stderr?.on("data", keep);
  if ((await exited(migrate)) !== 0) throw new Error(`migrations failed:\n${output}`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const allVars = {
    JWT_SECRET: randomBytes(32).toString("base64url"),
    PII_MASTER_KEY: randomBytes(32).toString("base64url"),
    ...vars,
  };
  const server = run(
    [
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      ...persist,
      "--show-interactive-dev-session=false",
      ...Object.entries(allVars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ],
    state,
  );
  server.stdout?.on("data", keep);
  server.stderr?.on("data", keep);

  const stop = async () => {
    if (server.exitCode === null && server.pid) {
      process.kill(-server.pid, "SIGTERM");
      await exited(server);
    }
    rmSync(state, { recursive: true, force: true });
  };

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, stop };
    } catch {}
    await new Promise((wait) => setTimeout(wait, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${url}:\n${output}`);
}
