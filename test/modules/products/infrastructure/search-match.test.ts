import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../../src/db/client";
import {
  MAX_TERMS_PER_WORD,
  rankedGroupMatch,
} from "../../../../src/modules/products/infrastructure/search-match";
import { signedInAdmin } from "../../../support/api";
import { createProduct } from "../../../support/products";

/** The FTS5 query D1 builds for `words`, from the index as it is now. */
async function matchOf(words: string[], nameMatch: "AND" | "NOT" = "AND"): Promise<string> {
  const [row] = await openDatabase(env.DB).all<{ query: string }>(
    sql`SELECT ${rankedGroupMatch(words, nameMatch)} AS query`,
  );
  return (row as { query: string }).query;
}

describe("the ranked search's FTS5 query", () => {
  it("asks for the exact terms a word is a prefix of, lowercased, when few start with it", async () => {
    const { token } = await signedInAdmin();
    await createProduct(token, { name: "Wombat", description: "Wombats and wombatberry." });
    expect(await matchOf(["WOMBAT"])).toBe(
      '(("wombat" OR "wombatberry" OR "wombats")) AND {name} : (("wombat" OR "wombatberry" OR "wombats"))',
    );
    expect(await matchOf(["wombats", "Wombatb"], "NOT")).toBe(
      '(("wombats") AND ("wombatberry")) NOT {name} : (("wombats") OR ("wombatberry"))',
    );
  });

  it("keeps a word a prefix query when more terms than the cap, or none, start with it", async () => {
    const { token } = await signedInAdmin();
    const terms = Array.from({ length: MAX_TERMS_PER_WORD }, (_, index) => `quokka${index}`);
    await createProduct(token, { name: "Quokka", description: terms.join(" ") });
    // The product's own name is one more term: MAX_TERMS_PER_WORD + 1 start with "quokka".
    expect(await matchOf(["quokka"])).toBe('("quokka"*) AND {name} : ("quokka"*)');
    // One fewer is within the cap.
    expect(await matchOf(["quokka1"])).toContain('("quokka1" OR "quokka10" OR ');
    expect(await matchOf(["zyzzyva"])).toBe('("zyzzyva"*) AND {name} : ("zyzzyva"*)');
  });

  it("leaves words outside ASCII to FTS5's own case folding and diacritics", async () => {
    expect(await matchOf(["Éclair", "tea"])).toMatch(/^\("Éclair"\* AND /);
  });
});
