/** Items grouped by a key, groups in the order their first item came, items in their own order. */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group) group.push(item)
    else groups.set(key, [item])
  }
  return groups
}

/** The first item of each key, in the items' order (a person holding two roles listed once, under the first). */
export function uniqueBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): T[] {
  return [...groupBy(items, keyOf).values()].map(group => group[0]!)
}
