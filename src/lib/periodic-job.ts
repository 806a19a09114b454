import type { Logger } from './logger.ts';

export interface PeriodicJob<T> {
  /** Runs now unless a run is in progress (then waits for that one). */
  runOnce(): Promise<T>;
  /** Stops the timer and waits for the run in progress. */
  stop(): Promise<void>;
}

/**
 * A background job of the portal: run at start-up and then every `intervalMs`, never two runs at once
 * in this process (several processes are kept apart by the jobs' own dedupe keys and locks). A failed
 * run is logged and answers `onError`, so the timer goes on.
 */
export function startPeriodicJob<T>(options: { name: string; logger: Logger; intervalMs: number; run: () => Promise<T>; onError: T; report?: (result: T) => void }): PeriodicJob<T> {
  let running: Promise<T> | null = null;
  const runOnce = (): Promise<T> => {
    running ??= options
      .run()
      .then((result) => {
        options.report?.(result);
        return result;
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error }, `${options.name} failed`);
        return options.onError;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  void runOnce();
  const timer = setInterval(() => void runOnce(), options.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      if (running) await running;
    },
  };
}
