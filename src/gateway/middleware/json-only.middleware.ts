import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { HttpProblem } from "../problem";

const JSON_MEDIA_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/i;

const hasBody = (request: Request): boolean => {
  const length = request.headers.get("content-length");
  return length !== null ? Number(length) > 0 : request.body !== null;
};

/** Refuses a request body that is not JSON with 415, before anything tries to parse it. */
export const jsonOnly = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (hasBody(c.req.raw)) {
      const mediaType = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
      if (!JSON_MEDIA_TYPE.test(mediaType)) {
        throw new HttpProblem(
          {
            status: 415,
            detail: `Request bodies must be application/json, not ${mediaType || "unlabelled"}.`,
          },
          { accept: "application/json" },
        );
      }
    }
    await next();
  });
