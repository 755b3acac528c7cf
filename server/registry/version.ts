// Row versions for ReplacingMergeTree: strictly increasing within the process, and above any
// version written before (they start from the clock in microseconds).
let last = 0;
export function nextVersion(): number {
  last = Math.max(last + 1, Date.now() * 1000);
  return last;
}
