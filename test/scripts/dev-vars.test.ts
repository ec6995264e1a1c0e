import { describe, expect, it } from "vitest";
import example from "../../.dev.vars.example?raw";
import { readDevVar, withDevSecrets } from "../../scripts/lib/dev-vars.mjs";

let generated = 0;
const options = {
  placeholder: readDevVar(example, "JWT_SECRET"),
  generate: () => `random-secret-${++generated}`,
};

describe("npm run dev's .dev.vars", () => {
  it("is made from the example with a random JWT_SECRET, ADMIN_BOOTSTRAP_TOKEN and PII_MASTER_KEY", () => {
    const { text, added } = withDevSecrets(example, options);
    expect(added).toEqual(["JWT_SECRET", "ADMIN_BOOTSTRAP_TOKEN", "PII_MASTER_KEY"]);
    const piiMasterKey = readDevVar(text, "PII_MASTER_KEY");
    expect(piiMasterKey).toMatch(/^random-secret-/);
    expect(text).not.toMatch(/^#\s*PII_MASTER_KEY=/m);
    const jwtSecret = readDevVar(text, "JWT_SECRET");
    const bootstrapToken = readDevVar(text, "ADMIN_BOOTSTRAP_TOKEN");
    expect(jwtSecret).toMatch(/^random-secret-/);
    expect(bootstrapToken).toMatch(/^random-secret-/);
    expect(new Set([jwtSecret, bootstrapToken, piiMasterKey]).size).toBe(3);
    // The commented-out example line became the setting, next to its explanation.
    expect(text).not.toMatch(/^#\s*ADMIN_BOOTSTRAP_TOKEN=/m);
    expect(text.split("\n").length).toBe(example.split("\n").length);
  });

  it("adds a token to an existing .dev.vars that lacks one, and keeps what is set", () => {
    const existing =
      "JWT_SECRET=my-own-long-secret-of-at-least-32-bytes\nCORS_ORIGINS=x\nPII_MASTER_KEY=mine";
    const { text, added } = withDevSecrets(existing, options);
    expect(added).toEqual(["ADMIN_BOOTSTRAP_TOKEN"]);
    expect(readDevVar(text, "PII_MASTER_KEY")).toBe("mine");
    expect(text).toMatch(/^JWT_SECRET=my-own-long-secret-of-at-least-32-bytes$/m);
    expect(text).toMatch(/^CORS_ORIGINS=x$/m);
    expect(readDevVar(text, "ADMIN_BOOTSTRAP_TOKEN")).toMatch(/^random-secret-/);

    const complete = withDevSecrets(text, options);
    expect(complete).toEqual({ text, added: [] });
  });

  it("replaces a JWT_SECRET that is still the example's placeholder", () => {
    const copied = `JWT_SECRET=${options.placeholder}\nADMIN_BOOTSTRAP_TOKEN="quoted-token"\nPII_MASTER_KEY=k\n`;
    const { text, added } = withDevSecrets(copied, options);
    expect(added).toEqual(["JWT_SECRET"]);
    expect(readDevVar(text, "JWT_SECRET")).toMatch(/^random-secret-/);
    expect(readDevVar(text, "ADMIN_BOOTSTRAP_TOKEN")).toBe("quoted-token");
  });
});
