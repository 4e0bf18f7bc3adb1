/**
 * A closed set of codes and the words people read for them, each code written once: the labels
 * object is the source, and the code list (for zod enums, pickers and loops) is taken from it in
 * the order written.
 */
export function codesOf<K extends string>(labels: Record<K, string>): [K, ...K[]] {
  return Object.keys(labels) as [K, ...K[]];
}
