/**
 * A handler built on first use (env read, secrets fetched, clients built once per container). A failed
 * build is not cached: the next invocation tries again.
 */
export function lazyHandler<E, C, R>(
  build: () => Promise<(event: E, context: C) => Promise<R>>,
  onBuildError?: (error: unknown) => R,
): (event: E, context: C) => Promise<R> {
  let ready: Promise<(event: E, context: C) => Promise<R>> | undefined;
  return async (event, context) => {
    ready ??= build();
    let handle: (event: E, context: C) => Promise<R>;
    try {
      handle = await ready;
    } catch (error) {
      ready = undefined;
      if (onBuildError === undefined) throw error;
      return onBuildError(error);
    }
    return handle(event, context);
  };
}
