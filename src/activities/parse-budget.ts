// How many raw bytes the worker parses at once. A parse holds the email several times over (the raw
// bytes, decoded attachments, text), so the worker's memory is bounded by this budget, not by how many
// large emails happen to arrive together. An email larger than the whole budget runs alone.
export class ParseBudget {
  private inUse = 0;
  private readonly waiting: Array<{ bytes: number; go: () => void }> = [];

  constructor(readonly budgetBytes: number) {}

  /** Waits until `bytes` fit in the budget, runs `work`, and gives the bytes back whatever happens. */
  async run<T>(bytes: number, work: () => Promise<T>): Promise<T> {
    const weight = Math.min(Math.max(bytes, 1), this.budgetBytes);
    await this.acquire(weight);
    try {
      return await work();
    } finally {
      this.inUse -= weight;
      this.wakeWaiting();
    }
  }

  private acquire(weight: number): Promise<void> {
    // First come, first served: a large email is not starved by a stream of small ones.
    if (this.waiting.length === 0 && this.inUse + weight <= this.budgetBytes) {
      this.inUse += weight;
      return Promise.resolve();
    }
    return new Promise((go) => this.waiting.push({ bytes: weight, go }));
  }

  private wakeWaiting(): void {
    while (this.waiting.length > 0 && this.inUse + this.waiting[0].bytes <= this.budgetBytes) {
      const next = this.waiting.shift()!;
      this.inUse += next.bytes;
      next.go();
    }
  }

  get bytesInUse(): number {
    return this.inUse;
  }
}
