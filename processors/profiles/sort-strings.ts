/**
 * Sorts strings in place into the default `sort` order; short lists (a profile's traits, event names,
 * merged ids) by insertion, which allocates nothing (the built-in sort allocates work arrays).
 */
export function sortStrings(a: string[]): string[] {
  if (a.length > 32) return a.sort();
  for (let i = 1; i < a.length; i++) {
    const x = a[i] as string;
    let j = i - 1;
    while (j >= 0 && (a[j] as string) > x) {
      a[j + 1] = a[j] as string;
      j--;
    }
    a[j + 1] = x;
  }
  return a;
}
