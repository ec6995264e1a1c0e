import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// .ci/run with stand-ins for npm and chromium first on PATH: what it would run, and with
// which CI, without installing or testing anything.

function runCi(bin: string, calls: string) {
  return new Promise<number | null>((done) => {
    // No CI in its environment: the script itself must set it.
    const child = spawn(".ci/run", [], {
      env: { PATH: `${bin}:${process.env.PATH ?? ""}`, NPM_CALLS: calls },
      stdio: "ignore",
    });
    child.on("exit", done);
  });
}

describe(".ci/run", () => {
  it("runs the install, the checks and the tests with CI=true, so no test may skip as local", async () => {
    const bin = mkdtempSync(join(tmpdir(), "ci-run-"));
    const calls = join(bin, "npm-calls.txt");
    try {
      const stub = (name: string, body: string) => {
        writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
        chmodSync(join(bin, name), 0o755);
      };
      stub("npm", `printf '%s %s\\n' "CI=\${CI-unset}" "$*" >> "$NPM_CALLS"`);
      // Present, so .ci/run never reaches for apt-get here.
      stub("chromium", "exit 0");
      expect(await runCi(bin, calls)).toBe(0);
      expect(readFileSync(calls, "utf8").trim().split("\n")).toEqual([
        "CI=true ci --no-audit --no-fund",
        "CI=true run check",
        "CI=true test",
      ]);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
