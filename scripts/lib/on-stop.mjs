import { spawnSync } from "node:child_process";

/** The parent of process `pid`, from `ps` (Linux, macOS), or undefined where that fails. */
function parentOf(pid) {
  const ps = spawnSync("ps", ["-o", "ppid=", "-p", String(pid)], { encoding: "utf8" });
  const parent = Number.parseInt(ps.stdout ?? "", 10);
  return Number.isInteger(parent) && parent > 1 ? parent : undefined;
}

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
};

/**
 * Calls `stop(reason)` when this process is asked to stop: on SIGINT, SIGTERM or SIGHUP (each
 * time one arrives), and once when the command that started it ends. npm makes the last one
 * necessary: it forwards no signal to a script's children, so `kill -TERM` on `npm run dev`
 * ends npm and leaves its script running. npm runs a script through `sh -c`, so its end shows
 * as the parent ending (`sh` dies with npm's SIGTERM, and this process is adopted) or the
 * grandparent ending (a `kill -KILL` of npm leaves `sh` waiting). Both are checked twice a
 * second. Handling the signals replaces Node's default of dying at once: `stop` must exit.
 */
export function onStop(stop, { checkEveryMs = 500 } = {}) {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(signal));
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  const watch = setInterval(() => {
    const reason =
      process.ppid !== parent
        ? "parent exited"
        : grandparent !== undefined && !isAlive(grandparent)
          ? "grandparent exited"
          : undefined;
    if (reason === undefined) return;
    clearInterval(watch);
    stop(reason);
  }, checkEveryMs);
  // The watch alone must not keep the process alive.
  watch.unref();
}
