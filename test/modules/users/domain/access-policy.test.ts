import { describe, expect, it } from "vitest";
import {
  type AccountWrite,
  hasRecentLogin,
  needsRecentLogin,
} from "../../../../src/modules/users/domain/access-policy";

const user = { id: "user-1", role: "customer" };
const admin = { id: "admin-1", role: "admin" };
const WRITES: readonly AccountWrite[] = ["details", "email", "password", "deactivation", "role"];

describe("which writes need a recent login (the step-up)", () => {
  it("asks it of an admin for every write to another user's account", () => {
    expect(WRITES.filter((write) => needsRecentLogin(admin, user.id, write))).toEqual(WRITES);
  });

  it("asks it, on one's own account, for a new email, a deactivation and a role change only", () => {
    expect(WRITES.filter((write) => needsRecentLogin(user, user.id, write))).toEqual([
      "email",
      "deactivation",
      "role",
    ]);
    expect(WRITES.filter((write) => needsRecentLogin(admin, admin.id, write))).toEqual([
      "email",
      "deactivation",
      "role",
    ]);
  });

  it("counts a login 300 seconds old as recent, and 301 as not", () => {
    expect(hasRecentLogin({ authenticatedAt: 1_000 }, 1_300)).toBe(true);
    expect(hasRecentLogin({ authenticatedAt: 1_000 }, 1_301)).toBe(false);
  });
});
