import { describe, expect, it } from "vitest";
import committed from "../../openapi.json";
import {
  formatCompositeBookmark,
  MAX_COMPONENTS,
  mergeCompositeBookmarks,
  NO_BOOKMARKS,
  parseBookmarkHeader,
} from "../../src/db/composite-bookmark";

/** A well-formed D1 bookmark at position `step` (the second group, as local D1 moves it). */
const at = (step: number, database = "0000007b") =>
  `${database}-${step.toString(16).padStart(8, "0")}-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b`;

describe("a composite D1 bookmark (one per service database)", () => {
  it("parses each service's bookmark, in any order, and formats them sorted by service", () => {
    const parsed = parseBookmarkHeader(`users:${at(3)},orders:${at(9)},products:${at(1)}`);
    expect(parsed).toEqual(
      new Map([
        ["users", at(3)],
        ["orders", at(9)],
        ["products", at(1)],
      ]),
    );
    expect(formatCompositeBookmark(parsed ?? NO_BOOKMARKS)).toBe(
      `orders:${at(9)},products:${at(1)},users:${at(3)}`,
    );
  });

  it("takes a single service's bookmark as a composite of one", () => {
    expect(parseBookmarkHeader(`products:${at(5)}`)).toEqual(new Map([["products", at(5)]]));
  });

  it("accepts a plain bookmark (the monolith's) as naming no service", () => {
    expect(parseBookmarkHeader(at(7))).toEqual(NO_BOOKMARKS);
  });

  it("formats no bookmarks as no header", () => {
    expect(formatCompositeBookmark(NO_BOOKMARKS)).toBeUndefined();
  });

  it.each([
    ["an empty value", ""],
    ["garbage", "garbage"],
    ["a component without a name", `:${at(1)}`],
    ["a component without a bookmark", "orders:"],
    ["a name that is not a service's", `Orders:${at(1)}`],
    ["a component that is not a bookmark", "orders:0000007b-0000b26e"],
    ["an upper-case bookmark", `orders:${at(1).toUpperCase()}`],
    ["a plain bookmark beside a component", `${at(1)},orders:${at(2)}`],
    ["a service named twice", `orders:${at(1)},orders:${at(2)}`],
    ["an empty component", `orders:${at(1)},`],
    ["spaces", `orders:${at(1)}, products:${at(2)}`],
    [
      "more components than any deployment has services",
      Array.from({ length: MAX_COMPONENTS + 1 }, (_, i) => `s${i}:${at(i)}`).join(","),
    ],
  ])("refuses %s", (_name, value) => {
    expect(parseBookmarkHeader(value)).toBeUndefined();
  });

  it("merges component-wise, keeping each database's newer bookmark and those only one side has", () => {
    const held = new Map([
      ["orders", at(9)],
      ["products", at(2)],
    ]);
    const answered = new Map([
      ["products", at(4)],
      ["orders", at(8)],
      ["users", at(1)],
    ]);
    const merged = mergeCompositeBookmarks(held, answered);
    expect(formatCompositeBookmark(merged)).toBe(
      `orders:${at(9)},products:${at(4)},users:${at(1)}`,
    );
    // Either order of arrival gives the same result.
    expect(formatCompositeBookmark(mergeCompositeBookmarks(answered, held))).toBe(
      formatCompositeBookmark(merged),
    );
    // And neither input changes.
    expect(held.get("products")).toBe(at(2));
  });

  it("is admitted by the documented header format, as a plain bookmark still is", () => {
    const { pattern } = committed.components.parameters.D1Bookmark.schema;
    const documented = new RegExp(pattern);
    expect(committed.components.headers.D1Bookmark.schema.pattern).toBe(pattern);
    const widest = Array.from({ length: MAX_COMPONENTS }, (_, i) => `s${i}:${at(i)}`).join(",");
    for (const value of [at(1), `orders:${at(9)},products:${at(1)},users:${at(3)}`, widest]) {
      expect(value).toMatch(documented);
      expect(parseBookmarkHeader(value)).toBeDefined();
    }
    for (const value of ["garbage", "", `orders:${at(1)},`, `${widest},s99:${at(1)}`]) {
      expect(value).not.toMatch(documented);
      expect(parseBookmarkHeader(value)).toBeUndefined();
    }
  });
});
