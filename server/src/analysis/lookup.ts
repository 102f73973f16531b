/**
 * A constant table that is looked up by names taken from the user's code. A plain object literal
 * also answers `constructor`, `toString` or `__proto__`, from Object.prototype: a Go import of
 * "constructor" or a Python call of `toString()` would then read a function where the analysis
 * expects a string, and throw. The table has no prototype, so those names are simply absent.
 */
export function lookupTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
