/** One figure a benchmark reports. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** Context: sizes, round trips, targets. */
  note?: string;
}

export interface Bench {
  title: string;
  run: () => Promise<BenchResult[]>;
}
