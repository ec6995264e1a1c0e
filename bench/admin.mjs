// How the benchmark gets an admin: the one place to change when the way admins are made changes.
//
// As an operator does: register, then `POST /api/admin/bootstrap` (bearer ADMIN_BOOTSTRAP_TOKEN,
// body {email}), which promotes an existing user only while no admin exists (ADR 0027). The
// bench's Workers share one D1, so only its first admin is made that way; each later one is
// promoted by the first with `PUT /api/users/{id}/role`, after a fresh login (role changes
// need a login in the last 5 minutes). The services shape's users have a database of their own:
// its admins are made apart, named by `database`.
import { randomBytes } from "node:crypto";
import { get, json, post, put } from "./http.mjs";

const PASSWORD = "bench password, long enough";
const BOOTSTRAP_TOKEN = randomBytes(32).toString("base64url");

/** The Worker bindings that let the bench promote its admins. */
export const ADMIN_BINDINGS = { ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN };

/** The email of the run's first admin in each database, once made: it promotes the others. */
const firstAdmins = new Map();

/**
 * Logs in as `email` through `baseUrl` (with the bench's password unless given); returns its
 * request headers and its user. Access tokens live 15 minutes: a long run logs in again.
 */
export async function signIn(baseUrl, email, password = PASSWORD) {
  const { accessToken } = json(
    await post(`${baseUrl}/api/auth/login`, { email, password }),
    `logging in ${email}`,
  );
  const headers = { authorization: `Bearer ${accessToken}` };
  return { headers, me: json(await get(`${baseUrl}/api/users/me`, headers), "reading me") };
}

/**
 * Registers `email`, makes it an admin, logs in; returns its request headers and its id.
 * `database` names the users' database behind `baseUrl` (the monolith's unless told).
 */
export async function createAdmin(baseUrl, email, { database = "monolith" } = {}) {
  const firstAdmin = firstAdmins.get(database);
  json(
    await post(`${baseUrl}/api/users`, { email, name: "Bench admin", password: PASSWORD }),
    "registering the bench admin",
  );
  if (firstAdmin === undefined) {
    json(
      await post(
        `${baseUrl}/api/admin/bootstrap`,
        { email },
        { authorization: `Bearer ${BOOTSTRAP_TOKEN}` },
      ),
      "bootstrapping the bench admin",
    );
    firstAdmins.set(database, email);
  } else {
    const { me: user } = await signIn(baseUrl, email);
    const { headers: promoter } = await signIn(baseUrl, firstAdmin);
    json(
      await put(`${baseUrl}/api/users/${user.id}/role`, { role: "admin" }, promoter),
      "promoting the bench admin",
    );
  }

  const { headers, me } = await signIn(baseUrl, email);
  if (me.role !== "admin") throw new Error(`The bench user is not an admin: ${JSON.stringify(me)}`);
  return { headers, id: me.id };
}
