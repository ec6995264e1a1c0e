import { describe, expect, it } from "vitest";
import { parseEmail } from "../../../../src/modules/users/domain/email.value-object";
import { parseUserId } from "../../../../src/modules/users/domain/user-id.value-object";
import { parseUserName } from "../../../../src/modules/users/domain/user-name.value-object";

describe("Email", () => {
  it("trims and lower-cases", () => {
    expect(parseEmail("  Ada@Example.COM ")).toEqual({ ok: true, value: "ada@example.com" });
  });

  it.each([
    "",
    "ada",
    "ada@",
    "@example.com",
    "ada@example",
    "a da@example.com",
    "ada@@example.com",
  ])("rejects %j", (raw) => {
    expect(parseEmail(raw)).toMatchObject({
      ok: false,
      error: { code: "USER.INVALID_EMAIL", field: "email" },
    });
  });

  it("treats the composed and decomposed forms of one letter as one address", () => {
    const composed = parseEmail("jos\u00e9@example.com");
    const decomposed = parseEmail("jose\u0301@example.com");
    expect(composed.ok && decomposed.ok && composed.value === decomposed.value).toBe(true);
  });

  it("folds compatibility look-alikes such as fullwidth letters", () => {
    expect(parseEmail("\uff41da@example.com")).toEqual({ ok: true, value: "ada@example.com" });
  });

  it.each(["ada\u200b@example.com", "ada@exam\u202eple.com", "ada\u0000@example.com"])(
    "rejects invisible characters in %j",
    (raw) => {
      expect(parseEmail(raw).ok).toBe(false);
    },
  );

  it("rejects addresses longer than 254 characters", () => {
    expect(parseEmail(`${"a".repeat(250)}@example.com`).ok).toBe(false);
  });
});

describe("UserName", () => {
  it("trims", () => {
    expect(parseUserName("  Ada  ")).toEqual({ ok: true, value: "Ada" });
  });

  it("accepts 100 characters and rejects 101 or none", () => {
    expect(parseUserName("x".repeat(100)).ok).toBe(true);
    expect(parseUserName("x".repeat(101)).ok).toBe(false);
    expect(parseUserName("   ").ok).toBe(false);
  });
});

describe("UserId", () => {
  it("accepts a UUID and normalises its case", () => {
    expect(parseUserId("0190F3A2-7B1C-7CC0-8F1E-2B3C4D5E6F70")).toEqual({
      ok: true,
      value: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70",
    });
  });

  it("rejects anything else", () => {
    expect(parseUserId("42").ok).toBe(false);
  });
});
