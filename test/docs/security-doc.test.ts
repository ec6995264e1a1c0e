import { describe, expect, it } from "vitest";
import securityDoc from "../../docs/security.md?raw";
import thisFile from "./security-doc.test.ts?raw";

// Every test file's and source file's text, keyed by "/<path from the repository root>".
const testSources = import.meta.glob<string>("/test/**/*.test.ts", {
  query: "?raw",
  import: "default",
  eager: true,
});
const srcSources = import.meta.glob<string>("/src/**/*.ts", {
  query: "?raw",
  import: "default",
  eager: true,
});
const fromRoot = (sources: Record<string, string>) =>
  new Map(Object.entries(sources).map(([path, text]) => [path.replace(/^\//, ""), text]));

const OWASP_2023 = [
  "API1:2023 Broken Object Level Authorization",
  "API2:2023 Broken Authentication",
  "API3:2023 Broken Object Property Level Authorization",
  "API4:2023 Unrestricted Resource Consumption",
  "API5:2023 Broken Function Level Authorization",
  "API6:2023 Unrestricted Access to Sensitive Business Flows",
  "API7:2023 Server Side Request Forgery",
  "API8:2023 Security Misconfiguration",
  "API9:2023 Improper Inventory Management",
  "API10:2023 Unsafe Consumption of APIs",
];

/** The doc's sections: each `## ` heading and the tests listed under it, as file and name. */
function sections(markdown: string) {
  return markdown
    .split(/^## /m)
    .slice(1)
    .map((section) => {
      const [heading = "", ...lines] = section.split("\n");
      const proofs: { file: string; name: string }[] = [];
      let file = "";
      for (const line of lines) {
        const fileLine = /^- `(test\/[^`]+\.test\.ts)`$/.exec(line);
        if (fileLine) file = fileLine[1] ?? "";
        const nameLine = /^ {2}- "(.+)"$/.exec(line);
        if (nameLine) proofs.push({ file, name: nameLine[1] ?? "" });
      }
      return { heading, text: lines.join("\n"), proofs };
    });
}

describe("docs/security.md", () => {
  // A glob leaves out the file that asks for it.
  const tests = fromRoot({ ...testSources, "/test/docs/security-doc.test.ts": thisFile });
  const documented = sections(securityDoc);

  it("names, for each OWASP API Top 10 (2023) risk, the defence and tests that exist", () => {
    expect(documented.slice(0, OWASP_2023.length).map((s) => s.heading)).toEqual(OWASP_2023);
    for (const section of documented.slice(0, OWASP_2023.length)) {
      expect(section.proofs.length, section.heading).toBeGreaterThan(0);
      for (const { file, name } of section.proofs) {
        const source = tests.get(file);
        expect(source, `${section.heading}: ${file}`).toBeDefined();
        expect(source, `${section.heading}: ${file} › ${name}`).toContain(`"${name}"`);
      }
    }
  });

  it("says NFKC, the normalization emails go through", () => {
    expect(securityDoc).toContain("NFKC");
    expect(securityDoc).not.toMatch(/\bNFC\b/);
    const email = fromRoot(srcSources).get("src/modules/users/domain/email.value-object.ts");
    expect(email).toContain('.normalize("NFKC")');
  });

  it("states what registration still reveals", () => {
    expect(securityDoc).toMatch(/409 `USER\.EMAIL_TAKEN`/);
    expect(securityDoc).toMatch(/We accept this/);
  });

  it("finds no outbound fetch anywhere in src/", () => {
    const sources = fromRoot(srcSources);
    expect(sources.size).toBeGreaterThan(50);
    let assetReads = 0;
    let appDispatches = 0;
    for (const [path, text] of sources) {
      // The one fetch allowed: the static-assets binding, for the OpenAPI document at a path of
      // our own (ADR 0029). It leaves nothing to a client's choosing.
      const ours = text
        .replaceAll("c.env.ASSETS.fetch(new URL(API_DOCUMENT_ASSET,", () => {
          assetReads++;
          return "";
        })
        // Not outbound: a service Worker hands a forwarded request to its own Hono app, in
        // process (ADR 0039).
        .replaceAll("app.fetch(request, env, ctx)", () => {
          appDispatches++;
          return "";
        });
      expect(ours, path).not.toMatch(/\bfetch\s*\(|new\s+WebSocket\s*\(|\bconnect\s*\(/);
    }
    expect(assetReads).toBe(1);
    expect(appDispatches).toBe(1);
  });
});
