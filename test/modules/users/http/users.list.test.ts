import { describe, expect, it } from "vitest";
import { api, problemOf, registerUser, signedInAdmin, type UserBody } from "../../../support/api";

type Page = { items: UserBody[]; nextCursor: string | null };

async function readAll(query: string, token: string): Promise<UserBody[]> {
  const seen: UserBody[] = [];
  let cursor: string | null = null;
  do {
    const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const response = await api(`/api/users?${query}${suffix}`, { token });
    expect(response.status).toBe(200);
    const page = (await response.json()) as Page;
    seen.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe("GET /api/users (admin)", () => {
  it("pages through every user exactly once, oldest first, and filters by status", async () => {
    const admin = await signedInAdmin();
    const created: UserBody[] = [];
    for (let index = 0; index < 7; index++) created.push(await registerUser());
    const deactivated = created.filter((_, index) => index % 3 === 0);
    for (const user of deactivated) {
      await api(`/api/users/${user.id}`, { method: "DELETE", token: admin.token });
    }

    const all = await readAll("limit=3", admin.token);
    expect(all.map((user) => user.id)).toEqual([admin.user.id, ...created.map((user) => user.id)]);

    const onlyDeactivated = await readAll("limit=2&status=deactivated", admin.token);
    expect(onlyDeactivated.map((user) => user.id)).toEqual(deactivated.map((user) => user.id));
  });

  it("defaults to 20 per page", async () => {
    const admin = await signedInAdmin();
    for (let index = 0; index < 21; index++) await registerUser();
    const page = (await (await api("/api/users", { token: admin.token })).json()) as Page;
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).not.toBeNull();
  });

  it.each([
    "limit=0",
    "limit=101",
    "limit=1000",
    "limit=abc",
    "status=banned",
    "cursor=not-a-cursor",
  ])("rejects %s with 400", async (query) => {
    const admin = await signedInAdmin();
    const response = await api(`/api/users?${query}`, { token: admin.token });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toHaveLength(1);
  });
});
