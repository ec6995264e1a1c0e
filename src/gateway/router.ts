import { OpenAPIHono } from "@hono/zod-openapi";
import type { Hono } from "hono";
import type { AppEnv } from "./app-env";
import { HttpProblem } from "./problem";

type Issue = { path: readonly PropertyKey[]; message: string };

/**
 * A router whose request validation failures become one 400 problem listing every bad field.
 * Every module builds its routes on one of these, so they all answer alike.
 */
export const createRouter = (options: { router?: Hono<AppEnv>["router"] } = {}) =>
  new OpenAPIHono<AppEnv>({
    ...options,
    defaultHook: (result) => {
      if (result.success) return;
      const issues = (result.error as { issues: Issue[] }).issues;
      throw new HttpProblem({
        status: 400,
        detail: `The request ${result.target} is not valid.`,
        code: "VALIDATION_FAILED",
        errors: issues.map((issue) => ({
          field: [result.target, ...issue.path.map(String)].join("."),
          message: issue.message,
        })),
      });
    },
  });
