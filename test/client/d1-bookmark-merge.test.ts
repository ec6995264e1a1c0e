import { describe, expect, it } from "vitest";
import { newerD1Bookmark } from "../../client/src/d1-bookmark";

/** A well-formed D1 bookmark at position `step` (the second group, as local D1 moves it). */
const at = (step: number) =>
  `0000007b-${step.toString(16).padStart(8, "0")}-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b`;

describe("the bookmark the typed client keeps after an answer", () => {
  it("is the answer's when it holds none", () => {
    expect(newerD1Bookmark(undefined, at(3))).toBe(at(3));
    expect(newerD1Bookmark(undefined, `orders:${at(3)}`)).toBe(`orders:${at(3)}`);
  });

  it("is the newer of two plain bookmarks (the monolith's one database)", () => {
    expect(newerD1Bookmark(at(3), at(4))).toBe(at(4));
    expect(newerD1Bookmark(at(4), at(3))).toBe(at(4));
  });

  it("is each database's newer bookmark of two composites, and every database either names", () => {
    const held = `orders:${at(30)},products:${at(2)}`;
    const answered = `orders:${at(3)},products:${at(20)},users:${at(1)}`;
    const kept = `orders:${at(30)},products:${at(20)},users:${at(1)}`;
    expect(newerD1Bookmark(held, answered)).toBe(kept);
    expect(newerD1Bookmark(answered, held)).toBe(kept);
  });

  it("is the answer's when the API changed shape between the two", () => {
    expect(newerD1Bookmark(at(90), `orders:${at(1)}`)).toBe(`orders:${at(1)}`);
    expect(newerD1Bookmark(`orders:${at(90)}`, at(1))).toBe(at(1));
  });
});
