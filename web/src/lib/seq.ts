/**
 * The highest seq of a room up to which every message has been seen (the watermark), from seqs that
 * may arrive out of order. Seq is gapless per room, so a seq above the watermark + 1 means a gap:
 * something was missed and is fetched by the next catch-up, which starts at the watermark.
 */
export class SeqWatermark {
  private mark: number;
  private readonly above = new Set<number>();

  constructor(start = 0) {
    this.mark = start;
  }

  get value(): number {
    return this.mark;
  }

  get hasGap(): boolean {
    return this.above.size > 0;
  }

  /** Whether this seq was seen (or lies under the watermark). */
  has(seq: number): boolean {
    return seq <= this.mark || this.above.has(seq);
  }

  see(seq: number): void {
    if (seq <= this.mark) return;
    this.above.add(seq);
    while (this.above.delete(this.mark + 1)) this.mark++;
  }

  /** Everything up to `seq` is known (a join's lastSeq when history before it is fetched on demand). */
  advanceTo(seq: number): void {
    if (seq <= this.mark) return;
    this.mark = seq;
    this.above.forEach((s) => s <= seq && this.above.delete(s));
    while (this.above.delete(this.mark + 1)) this.mark++;
  }
}
