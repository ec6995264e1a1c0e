import { exports } from "cloudflare:workers";

export const BASE = "http://api.test";

/** A request to the Worker under test, through its real fetch handler. */
export function api(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, headers, ...rest } = init;
  return exports.default.fetch(`${BASE}${path}`, {
    ...rest,
    headers: { ...(json === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
}

export interface UserBody {
  id: string;
  email: string;
  name: string;
  status: "active" | "deactivated";
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  code?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

let counter = 0;

/** An email no other test in the file has used. */
export const uniqueEmail = (label = "user"): string =>
  `${label}.${Date.now().toString(36)}.${counter++}@example.com`;

/** Registers a user and returns its body; fails the test if registration does not succeed. */
export async function registerUser(fields: Partial<{ email: string; name: string }> = {}) {
  const response = await api("/api/users", {
    method: "POST",
    json: { email: uniqueEmail(), name: "Ada Lovelace", ...fields },
  });
  if (response.status !== 201) {
    throw new Error(`registration failed: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as UserBody;
}

export async function problemOf(response: Response): Promise<ProblemBody> {
  if (response.headers.get("content-type") !== "application/problem+json") {
    throw new Error(`expected a problem document, got ${response.headers.get("content-type")}`);
  }
  return (await response.json()) as ProblemBody;
}
