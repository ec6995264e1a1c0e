import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../../src/db/client";
import { primarySession } from "../../../../src/db/d1-session";
import { keepingAnAdmin } from "../../../../src/modules/users/application/admin-seats";
import type { UserId } from "../../../../src/modules/users/domain/user-id.value-object";
import { d1AdminSeats } from "../../../../src/modules/users/infrastructure/d1-admin-seats";
import { userRepository } from "../../../../src/modules/users/infrastructure/d1-user.repository";
import { newAdmin } from "../../../support/api";

const deps = () => ({
  repository: userRepository(env, primarySession(env.DB)),
  adminSeats: d1AdminSeats(openDatabase(env.DB)),
});

describe("guarding the last admin", () => {
  it("settles the seat on the log's word when the change throws, so it is not held for good", async () => {
    const first = await newAdmin();
    const second = await newAdmin();
    await env.DB.exec("DELETE FROM admin_seats");
    await env.DB.prepare("INSERT INTO admin_seats (user_id) VALUES (?), (?)")
      .bind(first.user.id, second.user.id)
      .run();

    // As when a call to the user's object fails after our retries (say it is overloaded).
    const failing = keepingAnAdmin(deps(), first.user.id as UserId, () =>
      Promise.reject(new Error("Durable Object is overloaded")),
    );
    await expect(failing).rejects.toThrow("overloaded");

    // The first is still an admin and holds their seat again: the second may go.
    const seats = d1AdminSeats(openDatabase(env.DB));
    expect(await seats.release(second.user.id, "demotion", new Date())).toBe("released");
  });
});
