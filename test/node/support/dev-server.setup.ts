import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { startWranglerDev } from "./wrangler-dev";

declare module "vitest" {
  export interface ProvidedContext {
    /** The one `wrangler dev` the Node tests share. */
    devServerUrl: string;
    /** Its ADMIN_BOOTSTRAP_TOKEN. */
    bootstrapToken: string;
  }
}

/**
 * One `wrangler dev` for the whole Node project (the browser test and the tour): each server
 * migrates D1, runs the build step and boots workerd, which on two cores is worth doing once.
 */
export default async function setup(project: TestProject) {
  const bootstrapToken = randomBytes(32).toString("base64url");
  const server = await startWranglerDev({ ADMIN_BOOTSTRAP_TOKEN: bootstrapToken });
  project.provide("devServerUrl", server.url);
  project.provide("bootstrapToken", bootstrapToken);
  return () => server.stop();
}
