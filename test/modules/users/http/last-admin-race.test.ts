import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../../src/db/client";
import { primarySession } from "../../../../src/db/d1-session";
import { changeUserRole } from "../../../../src/modules/users/application/change-user-role.handler";
import type { UserRepository } from "../../../../src/modules/users/application/user.repository";
import type { UserId } from "../../../../src/modules/users/domain/user-id.value-object";
import { d1AdminSeats } from "../../../../src/modules/users/infrastructure/d1-admin-seats";
import { userRepository } from "../../../../src/modules/users/infrastructure/d1-user.repository";
import { api, newAdmin } from "../../../support/api";
import { dbOf, SHAPE } from "../../../support/shape";

// Storage is per test file, and the survivor of one test stays an admin: each test makes its
// own pair and first makes sure no other admin counts.

const roleOf = async (id: string) =>
  (
    await dbOf("users")
      .prepare("SELECT role FROM users WHERE id = ?")
      .bind(id)
      .first<{ role: string }>()
  )?.role;

/**
 * Holds every command until both callers have reached theirs (or one has finished without
 * one): whatever each checks first, it checks before the other acts. This replays the worst
 * interleaving of two requests served by different objects, on the real D1 and logs.
 */
function bothCheckFirst(repository: UserRepository) {
  let waiting = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const step = () => {
    waiting++;
    if (waiting >= 2) release();
  };
  const gated: UserRepository = {
    ...repository,
    async save(...args) {
      step();
      await released;
      return repository.save(...args);
    },
  };
  return { gated, finished: step };
}

describe("two admins demoting each other at once", () => {
  // Runs the users module's handler in the runner's isolate with its bindings: the monolith's only.
  it.skipIf(SHAPE === "services")(
    "lets exactly one succeed, even when both check before either changes anything",
    async () => {
      const a = await newAdmin();
      const b = await newAdmin();
      // The file's first admins: only these two count.
      const seats = d1AdminSeats(openDatabase(dbOf("users")));
      const { gated, finished } = bothCheckFirst(
        userRepository(env, primarySession(dbOf("users"))),
      );
      const deps = { repository: gated, adminSeats: seats };
      const { results } = await dbOf("users")
        .prepare("SELECT user_id FROM admin_seats WHERE user_id NOT IN (?, ?)")
        .bind(a.user.id, b.user.id)
        .all<{ user_id: string }>();
      expect(results).toEqual([]);

      const demote = (id: string) =>
        changeUserRole(deps, { id: id as UserId, role: "customer", source: "admin" }).finally(
          finished,
        );
      const outcomes = await Promise.all([demote(a.user.id), demote(b.user.id)]);

      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
      expect(outcomes.find((outcome) => !outcome.ok)).toMatchObject({
        ok: false,
        error: { code: "USER.LAST_ADMIN" },
      });
      const roles = [await roleOf(a.user.id), await roleOf(b.user.id)].sort();
      expect(roles).toEqual(["admin", "customer"]);
    },
  );

  it("leaves one admin when two admins demote each other over HTTP", async () => {
    // The survivor of the test above is still an admin: demote it so only this pair counts.
    const a = await newAdmin();
    const b = await newAdmin();
    const { results } = await dbOf("users")
      .prepare("SELECT user_id FROM admin_seats WHERE user_id NOT IN (?, ?)")
      .bind(a.user.id, b.user.id)
      .all<{ user_id: string }>();
    for (const { user_id } of results) {
      const demoted = await api(`/api/users/${user_id}/role`, {
        method: "PUT",
        token: a.token,
        json: { role: "customer" },
      });
      expect(demoted.status).toBe(200);
    }

    const responses = await Promise.all([
      api(`/api/users/${b.user.id}/role`, {
        method: "PUT",
        token: a.token,
        json: { role: "customer" },
      }),
      api(`/api/users/${a.user.id}/role`, {
        method: "PUT",
        token: b.token,
        json: { role: "customer" },
      }),
    ]);
    const statuses = responses.map((response) => response.status).sort();
    // The loser is refused as the last admin, or, if it came second, as no longer an admin.
    expect([
      [200, 403],
      [200, 409],
    ]).toContainEqual(statuses);
    const roles = [await roleOf(a.user.id), await roleOf(b.user.id)].sort();
    expect(roles).toEqual(["admin", "customer"]);
  });
});
