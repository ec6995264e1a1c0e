import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { boundaryViolations } from "../../scripts/lib/module-boundaries.mjs";

// Small source trees, one crossing each, for the check `npm run check` runs over src/ (ADR 0038).

const roots: string[] = [];

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A tree of files under a fresh root, by path relative to it. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "boundaries-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A tree that keeps every rule: the baseline each failing case changes one file of. */
const CLEAN = {
  "index.ts": `import { userAggregate } from "./modules/users/infrastructure/user.aggregate";
import { createGateway } from "./gateway/app";
export default { userAggregate, createGateway };`,
  "gateway/app.ts": `import { problem } from "./problem";
import { ok } from "../kernel/result";
export const createGateway = () => [problem, ok];`,
  "gateway/problem.ts": `export const problem = "problem";`,
  "kernel/result.ts": `export const ok = true;`,
  "modules/users/index.ts": `export { userAggregate } from "./infrastructure/user.aggregate";
export type { User } from "./domain/user";`,
  "modules/users/domain/user.ts": `export interface User { id: string }`,
  "modules/users/infrastructure/user.aggregate.ts": `import type { User } from "../domain/user";
import { problem } from "../../../gateway/problem";
export const userAggregate = (user: User) => [user, problem];`,
  "modules/orders/index.ts": `import type { User } from "../users";
import { ok } from "../../kernel/result";
export const place = (user: User) => [user, ok];`,
};

describe("the module-boundary check", () => {
  it("passes a tree where modules meet only through their index.ts and nothing loops", () => {
    expect(boundaryViolations(tree(CLEAN))).toEqual([]);
  });

  it("passes today's src/", () => {
    const src = fileURLToPath(new URL("../../src", import.meta.url));
    expect(boundaryViolations(src)).toEqual([]);
  });

  it("fails a module that imports another's internals", () => {
    const root = tree({
      ...CLEAN,
      "modules/orders/index.ts": `import type { User } from "../users/domain/user";
export const place = (user: User) => user;`,
    });
    expect(boundaryViolations(root)).toEqual([
      "modules/orders/index.ts imports modules/users/domain/user.ts: import the modules/users module through its index.ts",
    ]);
  });

  it("fails the gateway reaching into a module, by a re-export or a dynamic import too", () => {
    const root = tree({
      ...CLEAN,
      // An orders module that needs nothing, so that the gateway's import makes no loop.
      "modules/orders/index.ts": `export const place = () => "placed";`,
      "modules/orders/domain/order.ts": `export interface Order { id: string }`,
      "modules/orders/http/orders.routes.ts": `export const ordersRoutes = [];`,
      "gateway/docs.ts": `export { ordersRoutes } from "../modules/orders/http/orders.routes";
export const order = () => import("../modules/orders/domain/order");`,
    });
    expect(boundaryViolations(root)).toEqual([
      "gateway/docs.ts imports modules/orders/http/orders.routes.ts: import the modules/orders module through its index.ts",
      "gateway/docs.ts imports modules/orders/domain/order.ts: import the modules/orders module through its index.ts",
    ]);
  });

  it("fails a cycle between folders, even through index.ts files", () => {
    const root = tree({
      ...CLEAN,
      "gateway/app.ts": `import { place } from "../modules/orders";
export const createGateway = () => place;`,
      "modules/orders/index.ts": `import { problem } from "../../gateway/problem";
export const place = () => problem;`,
    });
    expect(boundaryViolations(root)).toEqual(["units import each other: gateway, modules/orders"]);
  });

  it("fails two files of one folder that import each other, by a type-only import too", () => {
    const root = tree({
      ...CLEAN,
      "eventlog/event-log.do.ts": `import { client } from "./event-log.client";
export class EventLogObject { client = client; }`,
      "eventlog/event-log.client.ts": `import type { EventLogObject } from "./event-log.do";
export const client = (object: EventLogObject) => object;`,
    });
    expect(boundaryViolations(root)).toEqual([
      "files import each other: eventlog/event-log.client.ts, eventlog/event-log.do.ts",
    ]);
  });
});
