import { spawn } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Runs `node <script> ...args` with only PATH and `env` (a PATH there replaces this one), in
 * `cwd` (this directory by default); resolves when it exits.
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      cwd,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("exit", (code) => done({ code, stdout, stderr }));
  });
}

export interface ReceivedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly auth?: string;
  readonly body: string;
}

/**
 * A stand-in for a remote API on loopback that records each request and answers it with
 * `answer` (JSON). Close it when done.
 */
export async function standInServer(answer: (request: ReceivedRequest) => unknown) {
  const received: ReceivedRequest[] = [];
  const server = createServer(async (request, response) => {
    const recorded = {
      method: request.method,
      url: request.url,
      auth: request.headers.authorization,
      body: await bodyOf(request),
    };
    received.push(recorded);
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify(answer(recorded)));
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

const bodyOf = (request: IncomingMessage) =>
  new Promise<string>((done) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => done(body));
  });
