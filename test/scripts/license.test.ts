import { describe, expect, it } from "vitest";
import clientPackage from "../../client/package.json";
import license from "../../LICENSE?raw";
import rootPackage from "../../package.json";
import { api } from "../support/api";

// One licence, said the same way everywhere a user or a tool looks for it.

describe("the licence", () => {
  it("is MIT, for the project's contributors, in LICENSE", () => {
    expect(license.split("\n").slice(0, 3)).toEqual([
      "MIT License",
      "",
      "Copyright (c) 2026 Edge Commerce API contributors",
    ]);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  it("is MIT in both package.json files", () => {
    expect([rootPackage.license, clientPackage.license]).toEqual(["MIT", "MIT"]);
  });

  it("is MIT in the OpenAPI document's info, by name and SPDX identifier", async () => {
    const document = (await (await api("/openapi.json")).json()) as { info: { license: unknown } };
    expect(document.info.license).toEqual({ name: "MIT", identifier: "MIT" });
  });
});
