import { describe, expect, it } from "vitest";
import { SeqWatermark } from "../../src/lib/seq";

describe("SeqWatermark", () => {
  it("moves over contiguous seqs and waits at a gap until it is filled", () => {
    const w = new SeqWatermark(3);
    w.see(5);
    expect(w.value).toBe(3);
    expect(w.hasGap).toBe(true);
    w.see(4);
    expect(w.value).toBe(5);
    expect(w.hasGap).toBe(false);
  });

  it("ignores seqs already under it and knows which seqs it saw above", () => {
    const w = new SeqWatermark(10);
    w.see(2);
    w.see(12);
    expect(w.value).toBe(10);
    expect(w.has(9)).toBe(true);
    expect(w.has(11)).toBe(false);
    expect(w.has(12)).toBe(true);
  });
});
