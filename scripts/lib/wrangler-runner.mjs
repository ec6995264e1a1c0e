import { spawn } from "node:child_process";
import { onStop } from "./on-stop.mjs";

/**
 * Runs wrangler commands one at a time for a dev script, and stops the one running when the
 * script is asked to stop (lib/on-stop.mjs): it sends wrangler SIGTERM whatever the request
 * was, since wrangler's launcher passes SIGTERM (not SIGHUP) on to wrangler, which stops
 * workerd. `cleanUp` runs before the script exits on a stop. npm puts node_modules/.bin
 * (wrangler, and Node 22 from the `node` devDependency) on PATH.
 */
export function wranglerRunner({ cleanUp = () => {} } = {}) {
  let running;
  let stopping = false;
  onStop(() => {
    stopping = true;
    if (running) running.kill("SIGTERM");
    else {
      cleanUp();
      process.exit(1);
    }
  });

  return {
    /** Whether a stop was asked for: the script must not start anything more. */
    get stopping() {
      return stopping;
    },
    /** Runs `wrangler ...args`; resolves with its exit code, or 1 when a signal ended it. */
    run(args, env = process.env) {
      return new Promise((done) => {
        running = spawn("wrangler", args, {
          stdio: "inherit",
          shell: process.platform === "win32",
          env,
        });
        running.on("exit", (code, signal) => {
          running = undefined;
          done(signal ? 1 : (code ?? 1));
        });
      });
    },
  };
}
