/**
 * Merging the two lanes' listings: each comes in Temporal's visibility order (open executions
 * first, then by close time, latest first; among equals by start time, latest first), and so does
 * the merge.
 */

/** What the order is read from. */
export interface Ordered {
  startTime: Date;
  closeTime: Date | undefined;
}

/** Whether `a` comes before `b` in visibility order. */
export function comesFirst(a: Ordered, b: Ordered): boolean {
  const closeA = a.closeTime?.getTime() ?? Infinity;
  const closeB = b.closeTime?.getTime() ?? Infinity;
  if (closeA !== closeB) return closeA > closeB;
  return a.startTime.getTime() >= b.startTime.getTime();
}

/** Merges two listings in visibility order, reading each one item ahead (both first pages at once). */
export async function* mergeByVisibilityOrder<T extends Ordered>(
  first: AsyncIterator<T>,
  second: AsyncIterator<T>,
): AsyncGenerator<T> {
  let [a, b] = await Promise.all([first.next(), second.next()]);
  try {
    while (!a.done || !b.done) {
      if (b.done || (!a.done && comesFirst(a.value, b.value))) {
        yield a.value as T;
        a = await first.next();
      } else {
        yield b.value;
        b = await second.next();
      }
    }
  } finally {
    // Stopped early (a limit, a break): let both listings clean up.
    if (!a.done) await first.return?.(undefined);
    if (!b.done) await second.return?.(undefined);
  }
}
