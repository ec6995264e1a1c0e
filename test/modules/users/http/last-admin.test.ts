import { describe, expect, it } from "vitest";
import backfill from "../../../../migrations/0009_admin_seats_for_existing_admins.sql?raw";
import {
  api,
  login,
  newAdmin,
  problemOf,
  signedInAdmin,
  type UserBody,
} from "../../../support/api";
import { dbOf } from "../../../support/shape";

const setRole = (token: string, id: string, role: "admin" | "customer", ifMatch?: string) =>
  api(`/api/users/${id}/role`, {
    method: "PUT",
    token,
    json: { role },
    ...(ifMatch === undefined ? {} : { headers: { "if-match": ifMatch } }),
  });

/** Demotes every active admin but `keep`, so a test starts from exactly one. */
async function onlyAdminLeft(keep: { user: UserBody; token: string }) {
  const page = await api("/api/users?status=active&limit=100", { token: keep.token });
  const { items } = (await page.json()) as { items: UserBody[] };
  for (const user of items.filter((u) => u.role === "admin" && u.id !== keep.user.id)) {
    expect((await setRole(keep.token, user.id, "customer")).status).toBe(200);
  }
}

async function expectLastAdmin(response: Response) {
  expect(response.status).toBe(409);
  expect(await problemOf(response)).toMatchObject({ code: "USER.LAST_ADMIN" });
}

describe("the last active admin", () => {
  it("cannot be demoted or deactivated (409), and stays as it was", async () => {
    const admin = await signedInAdmin();
    await onlyAdminLeft(admin);
    const fresh = (await login(admin.user.email)).accessToken;
    await expectLastAdmin(await setRole(fresh, admin.user.id, "customer"));
    await expectLastAdmin(
      await api(`/api/users/${admin.user.id}`, { method: "DELETE", token: fresh }),
    );
    const me = (await (await api("/api/users/me", { token: fresh })).json()) as UserBody;
    expect(me).toMatchObject({ role: "admin", status: "active", version: admin.user.version });
  });

  it("may go while another active admin remains, and then the other is the last", async () => {
    const first = await signedInAdmin();
    await onlyAdminLeft(first);
    const second = await newAdmin();
    const deactivated = await api(`/api/users/${first.user.id}`, {
      method: "DELETE",
      token: second.token,
    });
    expect(deactivated.status).toBe(204);
    await expectLastAdmin(await setRole(second.token, second.user.id, "customer"));
    // A deactivated admin no longer counts, and promoting a third lets the second go.
    const third = await newAdmin();
    expect((await setRole(third.token, second.user.id, "customer")).status).toBe(200);
    await expectLastAdmin(await setRole(third.token, third.user.id, "customer"));
  });

  it("keeps its seat when a change to it fails, so another admin can still go", async () => {
    const keeper = await newAdmin();
    await onlyAdminLeft(keeper);
    const other = await newAdmin();
    // A stale If-Match: the demotion fails (412) after the guard let it through.
    const stale = await setRole(keeper.token, other.user.id, "customer", '"1"');
    expect(stale.status).toBe(412);
    // `other` is still an admin and must still count: the keeper may step down.
    expect((await setRole(other.token, keeper.user.id, "customer")).status).toBe(200);
    await expectLastAdmin(await setRole(other.token, other.user.id, "customer"));
  });

  it("counts admins made before seats existed (the migration gives them one)", async () => {
    const keeper = await newAdmin();
    await onlyAdminLeft(keeper);
    const old = await newAdmin();
    // As if `old` had been made an admin before the seats table: an admin without a seat.
    await dbOf("users")
      .prepare("DELETE FROM admin_seats WHERE user_id = ?")
      .bind(old.user.id)
      .run();
    const statements = backfill
      .split("\n")
      .filter((line) => !line.startsWith("--"))
      .join(" ");
    await dbOf("users").exec(statements);
    expect((await setRole(old.token, keeper.user.id, "customer")).status).toBe(200);
    await expectLastAdmin(await setRole(old.token, old.user.id, "customer"));
  });
});
