// How the benchmark gets an admin: the one place to change when the way admins are made changes.
//
// As an operator does: register, then `POST /api/admin/bootstrap` (bearer ADMIN_BOOTSTRAP_TOKEN,
// body {email}), which promotes an existing user.
import { randomBytes } from "node:crypto";
import { get, json, post } from "./http.mjs";

const PASSWORD = "bench password, long enough";
const BOOTSTRAP_TOKEN = randomBytes(32).toString("base64url");

/** The Worker bindings that let the bench promote its admins. */
export const ADMIN_BINDINGS = { ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN };

/** Registers `email`, makes it an admin, logs in; returns its request headers and its id. */
export async function createAdmin(baseUrl, email) {
  json(
    await post(`${baseUrl}/api/users`, { email, name: "Bench admin", password: PASSWORD }),
    "registering the bench admin",
  );
  json(
    await post(
      `${baseUrl}/api/admin/bootstrap`,
      { email },
      { authorization: `Bearer ${BOOTSTRAP_TOKEN}` },
    ),
    "bootstrapping the bench admin",
  );

  const { accessToken } = json(
    await post(`${baseUrl}/api/auth/login`, { email, password: PASSWORD }),
    "logging in the bench admin",
  );
  const authorization = `Bearer ${accessToken}`;
  const me = json(await get(`${baseUrl}/api/users/me`, { authorization }), "reading me");
  if (me.role !== "admin") throw new Error(`The bench user is not an admin: ${JSON.stringify(me)}`);
  return { headers: { authorization }, id: me.id };
}
