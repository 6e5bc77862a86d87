/**
 * Bounding waits by an abort signal: a call settles when its deadline passes or its caller
 * aborts, whatever the awaited work (a nonce store, a file read, a server) does.
 *
 * @internal
 * @module
 */
import { EmbedAbortError, EmbedTimeoutError } from '../errors.js';

/**
 * `promise`, or a rejection with the signal's reason as soon as `signal` aborts (the work itself
 * goes on in the background; its own failure is then ignored).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Runs one attempt under its timeout and the caller's signal. `run` gets the attempt's signal
 * (aborted on timeout or caller abort, so the transfer, the nonce wait and hashing stop), and the
 * attempt settles at that moment even if `run` does not: with {@link EmbedTimeoutError} on the
 * timeout, {@link EmbedAbortError} on a caller abort.
 */
export async function withDeadline<T>(timeoutMs: number, callerSignal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new EmbedTimeoutError(timeoutMs));
  }, timeoutMs);
  const onCallerAbort = (): void => controller.abort(new EmbedAbortError({ cause: callerSignal?.reason }));
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    let work: Promise<T>;
    try {
      work = run(controller.signal);
    } catch (error) {
      work = Promise.reject(error);
    }
    return await untilAborted(work, controller.signal);
  } catch (error) {
    if (callerSignal?.aborted) throw error instanceof EmbedAbortError ? error : new EmbedAbortError({ cause: callerSignal.reason });
    if (timedOut) throw error instanceof EmbedTimeoutError ? error : new EmbedTimeoutError(timeoutMs, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}
