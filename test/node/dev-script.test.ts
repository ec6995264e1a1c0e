import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "./support/wrangler-dev";

// `npm run dev` stopped from outside, as a user or a tool stops it: whichever process gets the
// signal, or if npm dies, no process of the run may survive, wrangler and workerd included.
// Each run leads its own process group (detached), and every process it starts stays in it,
// so the group lists them all.

interface Member {
  pid: number;
  ppid: number;
  args: string;
}

/** The processes in group `group` (ps: Linux and macOS). */
function groupMembers(group: number): Member[] {
  const ps = spawnSync("ps", ["-A", "-o", "pid=,ppid=,pgid=,args="], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s(.*)$/.exec(line))
    .filter((match) => match !== null && Number(match[3]) === group)
    .map((match) => ({
      pid: Number(match?.[1]),
      ppid: Number(match?.[2]),
      args: match?.[4] ?? "",
    }));
}

const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));

/** Starts `npm run dev` on a free port with its own state; resolves once it answers. */
async function startNpmRunDev() {
  const state = mkdtempSync(join(tmpdir(), "npm-run-dev-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const npm = spawn(
    "npm",
    [
      "run",
      "dev",
      "--",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      join(state, "state"),
      "--show-interactive-dev-session=false",
    ],
    {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", XDG_CONFIG_HOME: state },
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  npm.stdout?.on("data", keep);
  npm.stderr?.on("data", keep);
  const group = npm.pid ?? 0;
  const cleanUp = () => {
    try {
      process.kill(-group, "SIGKILL");
    } catch {}
    rmSync(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline && npm.exitCode === null) {
    try {
      if ((await fetch(`${url}/health`)).ok)
        return { npm, group, url, cleanUp, output: () => output };
    } catch {}
    await sleep(250);
  }
  cleanUp();
  throw new Error(`npm run dev did not answer on ${url}:\n${output}`);
}

/** Waits up to `ms` for the group to empty; returns what is left of it. */
async function survivorsAfter(group: number, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && groupMembers(group).length > 0) await sleep(250);
  return groupMembers(group);
}

// `node scripts/dev.mjs ...`, not npm's `sh -c` that started it.
const isDevScript = (args: string) => /^\S*node scripts\/dev\.mjs /.test(args);
const devScriptOf = (group: number) =>
  groupMembers(group).find((member) => isDevScript(member.args));

type Target = (run: { npm: ChildProcess; group: number }) => number;
const npmItself: Target = ({ npm }) => npm.pid ?? 0;
const devScript: Target = ({ group }) => devScriptOf(group)?.pid ?? 0;

describe("stopping npm run dev", () => {
  it.each<[string, NodeJS.Signals, Target]>([
    ["kill -TERM on npm (which forwards it to no grandchild)", "SIGTERM", npmItself],
    ["kill -HUP on scripts/dev.mjs (a closed terminal)", "SIGHUP", devScript],
    ["kill -KILL on npm (the parent dying at once)", "SIGKILL", npmItself],
  ])("%s stops wrangler and workerd", async (_, signal, target) => {
    // dev.mjs writes a .dev.vars when there is none: the run must not leave one behind.
    const hadDevVars = existsSync(".dev.vars");
    const run = await startNpmRunDev();
    try {
      const before = groupMembers(run.group).map((member) => member.args);
      expect(before.filter(isDevScript)).toHaveLength(1);
      expect(
        before.filter((args) => /wrangler(-dist\/cli\.js)? dev/.test(args)).length,
      ).toBeGreaterThan(0);
      expect(before.filter((args) => args.includes("/workerd serve")).length).toBeGreaterThan(0);

      const pid = target(run);
      expect(pid).toBeGreaterThan(0);
      process.kill(pid, signal);

      const survivors = await survivorsAfter(run.group, 30_000);
      expect(
        survivors.map((member) => member.args),
        run.output(),
      ).toEqual([]);
      await expect(fetch(`${run.url}/health`)).rejects.toThrow();
    } finally {
      run.cleanUp();
      if (!hadDevVars) rmSync(".dev.vars", { force: true });
    }
  });
});
