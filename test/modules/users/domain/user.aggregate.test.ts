import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "../../../../src/kernel/events";
import type { Email } from "../../../../src/modules/users/domain/email.value-object";
import { userDecider } from "../../../../src/modules/users/domain/user.aggregate";
import type { UserCommand } from "../../../../src/modules/users/domain/user.commands";
import type { UserEvent } from "../../../../src/modules/users/domain/user.events";
import type { UserId } from "../../../../src/modules/users/domain/user-id.value-object";
import type { UserName } from "../../../../src/modules/users/domain/user-name.value-object";

const id = "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70" as UserId;
const email = "ada@example.com" as Email;
const name = "Ada" as UserName;
const emailIndex = "index-of-ada";
const now = "2026-11-25T12:00:00.000Z";

const registered: UserEvent = {
  type: "UserRegistered",
  data: { userId: id, email, emailIndex, name, role: "customer" },
};
const deactivated: UserEvent = { type: "UserDeactivated", data: {} };

/** given(events).when(command) → the decision, as in emmett's decider tests. */
const given = (...history: UserEvent[]) => ({
  when: (command: UserCommand) => {
    const state = history
      .map(
        (event, index): RecordedEvent<UserEvent> => ({
          ...event,
          version: index + 1,
          occurredAt: now,
        }),
      )
      .reduce(userDecider.evolve, userDecider.initialState());
    return userDecider.decide(command, state, { aggregateId: id, now });
  },
});

const erased: UserEvent = { type: "UserErased", data: {} };

describe("User aggregate", () => {
  it("erases a user once: a second erasure changes nothing", () => {
    expect(given(registered).when({ type: "EraseUser" })).toEqual({ ok: true, value: [erased] });
    expect(given(registered, deactivated).when({ type: "EraseUser" })).toEqual({
      ok: true,
      value: [erased],
    });
    expect(given(registered, erased).when({ type: "EraseUser" })).toEqual({ ok: true, value: [] });
  });

  it("answers every other command on an erased user as for no user", () => {
    const commands: UserCommand[] = [
      { type: "ChangeUserDetails", name: "Back Again" as UserName },
      { type: "ChangeUserDetails" },
      { type: "DeactivateUser" },
      { type: "ChangeUserRole", role: "admin", source: "admin" },
      { type: "ChangePassword", currentPassword: "whatever" },
    ];
    for (const command of commands) {
      expect(given(registered, erased).when(command)).toMatchObject({
        ok: false,
        error: { kind: "not_found" },
      });
    }
  });

  it("forgets the person on erasure: no email, name or blind index is left in the state", () => {
    const state = [registered, erased]
      .map((event, index) => ({ ...event, version: index + 1, occurredAt: now }))
      .reduce(userDecider.evolve, userDecider.initialState());
    expect(state).toMatchObject({ email: null, name: null, emailIndex: null, status: "erased" });
  });

  it("registers a new user", () => {
    expect(given().when({ type: "RegisterUser", email, emailIndex, name })).toEqual({
      ok: true,
      value: [registered],
    });
  });

  it("refuses to register the same id twice", () => {
    const decision = given(registered).when({ type: "RegisterUser", email, emailIndex, name });
    expect(decision).toMatchObject({ ok: false, error: { code: "USER.ALREADY_EXISTS" } });
  });

  it("renames and changes the email in one decision", () => {
    const decision = given(registered).when({
      type: "ChangeUserDetails",
      name: "Ada King" as UserName,
      email: { address: "ada.king@example.com" as Email, index: "index-of-ada-king" },
    });
    expect(decision).toEqual({
      ok: true,
      value: [
        { type: "UserRenamed", data: { previousName: name, name: "Ada King" } },
        {
          type: "UserEmailChanged",
          data: {
            previousEmail: email,
            email: "ada.king@example.com",
            emailIndex: "index-of-ada-king",
          },
        },
      ],
    });
  });

  it("produces no event for a change to the same values", () => {
    expect(
      given(registered).when({
        type: "ChangeUserDetails",
        name,
        email: { address: email, index: emailIndex },
      }),
    ).toEqual({
      ok: true,
      value: [],
    });
  });

  it("rejects changes to a deactivated user", () => {
    const decision = given(registered, deactivated).when({
      type: "ChangeUserDetails",
      name: "Someone Else" as UserName,
    });
    expect(decision).toMatchObject({
      ok: false,
      error: { kind: "conflict", code: "USER.DEACTIVATED" },
    });
  });

  it("deactivates once; deactivating again changes nothing", () => {
    expect(given(registered).when({ type: "DeactivateUser" })).toEqual({
      ok: true,
      value: [deactivated],
    });
    expect(given(registered, deactivated).when({ type: "DeactivateUser" })).toEqual({
      ok: true,
      value: [],
    });
  });

  it("cannot change or deactivate a user that was never registered", () => {
    expect(given().when({ type: "DeactivateUser" })).toMatchObject({
      ok: false,
      error: { kind: "not_found" },
    });
    expect(given().when({ type: "ChangeUserDetails", name })).toMatchObject({
      ok: false,
      error: { kind: "not_found" },
    });
  });

  it("changes the role, recording who did, and records nothing for the same role", () => {
    expect(
      given(registered).when({ type: "ChangeUserRole", role: "admin", source: "bootstrap" }),
    ).toEqual({
      ok: true,
      value: [
        {
          type: "UserRoleChanged",
          data: { previousRole: "customer", role: "admin", source: "bootstrap" },
        },
      ],
    });
    expect(
      given(registered).when({ type: "ChangeUserRole", role: "customer", source: "admin" }),
    ).toEqual({ ok: true, value: [] });
    expect(
      given(registered, deactivated).when({
        type: "ChangeUserRole",
        role: "admin",
        source: "admin",
      }),
    ).toMatchObject({
      ok: false,
      error: { code: "USER.DEACTIVATED" },
    });
  });

  it("records a password change with no secret in the event", () => {
    expect(
      given(registered).when({ type: "ChangePassword", currentPassword: "irrelevant here" }),
    ).toEqual({
      ok: true,
      value: [{ type: "UserPasswordChanged", data: {} }],
    });
    expect(
      given(registered, deactivated).when({
        type: "ChangePassword",
        currentPassword: "irrelevant here",
      }),
    ).toMatchObject({
      ok: false,
    });
    expect(
      given().when({ type: "ChangePassword", currentPassword: "irrelevant here" }),
    ).toMatchObject({ ok: false });
  });

  it("still replays events recorded before the bootstrap: an admin registration, a sourceless role change", () => {
    const adminRegistered: UserEvent = {
      type: "UserRegistered",
      data: { userId: id, email, emailIndex, name, role: "admin" },
    };
    const demotedLongAgo = {
      type: "UserRoleChanged",
      data: { previousRole: "admin", role: "customer" },
    } as const;
    expect(
      given(adminRegistered).when({ type: "ChangeUserRole", role: "admin", source: "admin" }),
    ).toEqual({ ok: true, value: [] });
    expect(
      given(adminRegistered, demotedLongAgo).when({
        type: "ChangeUserRole",
        role: "admin",
        source: "admin",
      }),
    ).toMatchObject({ ok: true, value: [{ data: { previousRole: "customer" } }] });
  });

  it("registers everyone as a customer", () => {
    expect(given().when({ type: "RegisterUser", email, emailIndex, name })).toMatchObject({
      ok: true,
      value: [{ data: { role: "customer" } }],
    });
  });

  it("evolves timestamps from the events' times", () => {
    const later = "2026-11-26T08:00:00.000Z";
    const state = [
      { ...registered, version: 1, occurredAt: now },
      {
        type: "UserRenamed",
        data: { previousName: name, name: "Ada King" },
        version: 2,
        occurredAt: later,
      },
    ].reduce(userDecider.evolve as never, userDecider.initialState());
    expect(state).toMatchObject({
      name: "Ada King",
      createdAt: now,
      updatedAt: later,
      status: "active",
    });
  });
});
