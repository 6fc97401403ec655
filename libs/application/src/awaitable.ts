/** A value now, or later when it needs I/O. */
export type Awaitable<T> = T | Promise<T>;

/**
 * `next(value)` at once when the value is already there, after it otherwise: a batch decides
 * thousands of commands on what it has already read, and each `await` would cost a turn of
 * the event loop's microtask queue for nothing.
 */
export function andThen<T, R>(value: Awaitable<T>, next: (value: T) => Awaitable<R>): Awaitable<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
