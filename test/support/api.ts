import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { createApp } from "../../src/app";
import { API_DOCUMENT_ASSET } from "../../src/gateway/openapi";
import { type ContractChecker, contractChecker, type OpenApiDocument } from "./response-contract";
import { dbOf, SHAPE } from "./shape";

export const BASE = "http://api.test";

/** The password every test account gets unless a test says otherwise. */
export const PASSWORD = "correct horse battery staple";

/** The account each test file makes its admin. */
export const ADMIN_EMAIL = "admin@example.com";

let counter = 0;

export interface ApiInit extends RequestInit {
  json?: unknown;
  /** A bearer access token. */
  token?: string;
  /**
   * The client address (`cf-connecting-ip`); by default each request gets its own. `null` sends
   * none, as a request that did not come through Cloudflare.
   */
  ip?: string | null;
}

function requestOf(path: string, init: ApiInit): Request {
  const { json, token, ip, headers, ...rest } = init;
  const requestHeaders = new Headers(headers);
  if (json !== undefined && !requestHeaders.has("content-type")) {
    requestHeaders.set("content-type", "application/json");
  }
  if (token !== undefined) requestHeaders.set("authorization", `Bearer ${token}`);
  // Separate addresses keep the per-address rate limits out of tests that are not about them.
  if (ip !== null) {
    requestHeaders.set(
      "cf-connecting-ip",
      ip ?? `10.${counter >> 16}.${(counter >> 8) & 255}.${counter++ & 255}`,
    );
  }
  return new Request(`${BASE}${path}`, {
    ...rest,
    headers: requestHeaders,
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
}

let contract: Promise<ContractChecker> | undefined;

/**
 * Checks a response against the OpenAPI document the Worker serves, the static asset built from
 * the code before the tests (read once per test file, from the assets, so that no request of the
 * test's own is made), and returns it; a body that breaks the declared schema, or an undeclared
 * status, throws. Every way the tests call the Worker goes through it.
 */
export async function checked(request: Request, response: Response): Promise<Response> {
  contract ??= env.ASSETS.fetch(`${BASE}${API_DOCUMENT_ASSET}`)
    .then((asset) => asset.json<OpenApiDocument>())
    .then(contractChecker);
  await (await contract).check(request.method, new URL(request.url).pathname, response);
  return response;
}

/** A request to the Worker under test, through its real fetch handler. */
export async function api(path: string, init: ApiInit = {}): Promise<Response> {
  const request = requestOf(path, init);
  return checked(request, await exports.default.fetch(request));
}

/**
 * A request to the Worker as it comes, through its real fetch handler: no test defaults (the
 * client address, the JSON body), for tests that build the request themselves.
 */
export async function fetchWorker(input: string | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  return checked(request, await exports.default.fetch(request));
}

/**
 * The same request to the app run with other bindings: another setting, a misconfiguration. It
 * gets an execution context, as in the runtime, and what it hands to `waitUntil` has finished
 * when this returns.
 */
export async function apiWith(
  bindings: Partial<Env> & Record<string, unknown>,
  path: string,
  init: ApiInit = {},
): Promise<Response> {
  // It rebuilds the monolith's app in the runner: the services shape's runner is the gateway,
  // whose services read their own bindings, so a test using this runs in the monolith only.
  if (SHAPE !== "monolith") throw new Error("apiWith runs in the monolith shape only");
  const request = requestOf(path, init);
  const context = createExecutionContext();
  const response = await createApp().request(request, undefined, { ...env, ...bindings }, context);
  await waitOnExecutionContext(context);
  return checked(request, response);
}

export interface UserBody {
  id: string;
  email: string;
  name: string;
  status: "active" | "deactivated";
  role: "customer" | "admin";
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface TokenPair {
  tokenType: "Bearer";
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
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

/** An email no other test in the file has used. */
export const uniqueEmail = (label = "user"): string =>
  `${label}.${Date.now().toString(36)}.${counter++}@example.com`;

/** Registers a user and returns its body; fails the test if registration does not succeed. */
export async function registerUser(
  fields: Partial<{ email: string; name: string; password: string }> = {},
): Promise<UserBody> {
  const response = await api("/api/users", {
    method: "POST",
    json: { email: uniqueEmail(), name: "Ada Lovelace", password: PASSWORD, ...fields },
  });
  if (response.status !== 201) {
    throw new Error(`registration failed: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as UserBody;
}

/** Logs in; fails the test unless it succeeds. */
export async function login(email: string, password = PASSWORD): Promise<TokenPair> {
  const response = await api("/api/auth/login", { method: "POST", json: { email, password } });
  if (response.status !== 200) {
    throw new Error(`login failed: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as TokenPair;
}

/** A registered, logged-in customer: the user, an access token and a refresh token. */
export async function signedUpMember(fields: Partial<{ email: string; name: string }> = {}) {
  const user = await registerUser(fields);
  const tokens = await login(user.email);
  return { user, token: tokens.accessToken, refreshToken: tokens.refreshToken };
}

let adminSession: Promise<{ user: UserBody; token: string }> | undefined;

/** Every admin these helpers made in this file, oldest first, all with the default password. */
const madeAdmins: UserBody[] = [];

/** One of them that is still an active admin (tests demote and deactivate admins), if any. */
async function anActiveAdmin(): Promise<UserBody | undefined> {
  for (const admin of [...madeAdmins].reverse()) {
    const row = await dbOf("users")
      .prepare("SELECT role, status FROM users WHERE id = ?")
      .bind(admin.id)
      .first<{ role: string; status: string }>();
    if (row?.role === "admin" && row.status === "active") return admin;
  }
  return undefined;
}

/**
 * Makes a registered user an admin the way it is done: the file's first admin through
 * `POST /api/admin/bootstrap` with the test-only ADMIN_BOOTSTRAP_TOKEN of vitest.config.ts (it
 * works only while no admin exists), every later one by an active admin with
 * `PUT /api/users/{id}/role` after a fresh login (role changes need one).
 */
export async function promoteToAdmin(email: string): Promise<UserBody> {
  const promoter = await anActiveAdmin();
  const response = promoter
    ? await grantAdmin(promoter, email)
    : await api("/api/admin/bootstrap", {
        method: "POST",
        headers: { authorization: `Bearer ${env.ADMIN_BOOTSTRAP_TOKEN}` },
        json: { email },
      });
  if (response.status !== 200) {
    throw new Error(`promotion failed: ${response.status} ${await response.text()}`);
  }
  const user = (await response.json()) as UserBody;
  madeAdmins.push(user);
  return user;
}

async function grantAdmin(promoter: UserBody, email: string): Promise<Response> {
  const row = await dbOf("users")
    .prepare("SELECT id FROM users WHERE email = ?")
    .bind(email.trim().toLowerCase())
    .first<{ id: string }>();
  if (!row) throw new Error(`no user ${email} to promote`);
  return setRoleAs(promoter, row.id, "admin");
}

/** `PUT /api/users/{id}/role` as `by`, just logged in: role changes need a recent login. */
export async function setRoleAs(
  by: { email: string },
  id: string,
  role: "admin" | "customer",
): Promise<Response> {
  return api(`/api/users/${id}/role`, {
    method: "PUT",
    token: (await login(by.email)).accessToken,
    json: { role },
  });
}

/** Another admin: a newly registered user, promoted, with a fresh session. */
export async function newAdmin(): Promise<{ user: UserBody; token: string }> {
  const registered = await registerUser();
  const user = await promoteToAdmin(registered.email);
  return { user, token: (await login(user.email)).accessToken };
}

/** The file's admin (storage is per test file, so each file makes its own). */
export function signedInAdmin(): Promise<{ user: UserBody; token: string }> {
  adminSession ??= (async () => {
    await registerUser({ email: ADMIN_EMAIL, name: "Ops" });
    const user = await promoteToAdmin(ADMIN_EMAIL);
    return { user, token: (await login(ADMIN_EMAIL)).accessToken };
  })();
  return adminSession;
}

export async function problemOf(response: Response): Promise<ProblemBody> {
  if (response.headers.get("content-type") !== "application/problem+json") {
    throw new Error(`expected a problem document, got ${response.headers.get("content-type")}`);
  }
  return (await response.json()) as ProblemBody;
}
