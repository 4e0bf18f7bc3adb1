/**
 * Injected instance crashes (`POST /dev/faults`), so tests can prove that a function killed
 * mid-work loses nothing acknowledged: an instance that dies before its transaction commits, or
 * right after its first write to a collection was applied. Each fault fires once.
 */
export class InstanceFaults {
  /** Functions whose next transaction commit kills their instance instead. */
  readonly crashBeforeCommit = new Set<string>();
  /** Function → collection: its first write there is applied, then its instance dies. */
  readonly crashAfterWriteTo = new Map<string, string>();

  /** `recycle` kills a function's instances (the next call starts a fresh one). */
  constructor(private readonly recycle: (fn: string) => void) {}

  /** True when this write kills the invoking instance (after it was applied). */
  crashesAfterWrite(fn: string | undefined, coll: string): boolean {
    if (!fn || this.crashAfterWriteTo.get(fn) !== coll) return false;
    this.crashAfterWriteTo.delete(fn);
    this.recycle(fn);
    return true;
  }

  /** True when this commit kills the invoking instance instead (its writes are not committed). */
  crashesBeforeCommit(fn: string | undefined): boolean {
    if (!fn || !this.crashBeforeCommit.has(fn)) return false;
    this.crashBeforeCommit.delete(fn);
    this.recycle(fn);
    return true;
  }
}
