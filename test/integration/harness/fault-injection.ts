/**
 * Faults injected on top of a real emulator: a wrapper around a real SDK client's `send` that lets a
 * test change what one call sends or answers. The service behind it is always the real emulator; only
 * the fault (a refused record, a throttled request) is simulated, because the emulators never throttle.
 */

/** Anything with the SDK's `send(command)`. */
export interface Sender {
  // biome-ignore lint/suspicious/noExplicitAny: mirrors the SDK's overloaded send
  send(command: any, options?: any): Promise<any>;
}

/** One intercepted call: the command, its 1-based number among calls of that command, and the real send. */
export interface Interception {
  readonly command: { readonly input: unknown; readonly constructor: { readonly name: string } };
  readonly call: number;
  // biome-ignore lint/suspicious/noExplicitAny: the real client's answer
  send(input: unknown): Promise<any>;
}

/**
 * Wraps `client.send`: calls of the named commands go to `intercept`, which may send a changed input
 * with `send`, change the answer or throw; every other command passes through untouched. Returns a
 * client-shaped object to hand to an adapter (cast to the adapter's client type), and the call log.
 */
export function interceptSend<C extends Sender>(
  client: C,
  commands: readonly string[],
  // biome-ignore lint/suspicious/noExplicitAny: the answer shape is the command's
  intercept: (call: Interception) => Promise<any>,
): { client: C; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const wrapped = {
    send: async (command: { input: unknown; constructor: { name: string } }, options?: unknown) => {
      const name = command.constructor.name;
      if (!commands.includes(name)) return client.send(command, options);
      calls[name] = (calls[name] ?? 0) + 1;
      const Ctor = command.constructor as new (input: unknown) => unknown;
      return intercept({
        command,
        call: calls[name],
        send: (input) => client.send(new Ctor(input), options),
      });
    },
  };
  return { client: wrapped as unknown as C, calls };
}

/** An error shaped like the SDK's service exceptions (name, `$fault`, `$metadata`, `$retryable`). */
export function serviceError(name: string, status: number, throttling = false): Error {
  const error = new Error(`injected ${name}`) as Error & Record<string, unknown>;
  error.name = name;
  error.$fault = status >= 500 ? 'server' : 'client';
  error.$metadata = { httpStatusCode: status, attempts: 1 };
  if (throttling) error.$retryable = { throttling: true };
  return error;
}
