import { describe, expect, it, vi } from 'vitest';
import { startPeriodicJob } from '../../src/lib/periodic-job.ts';
import { createLogger } from '../../src/lib/logger.ts';

describe('a periodic job', () => {
  it('runs at start-up, never twice at once, reports its result, and survives a failed run', async () => {
    const logger = createLogger('silent');
    const error = vi.spyOn(logger, 'error');
    let calls = 0;
    let release!: () => void;
    const job = startPeriodicJob({
      name: 'test job',
      logger,
      intervalMs: 3_600_000,
      run: () => {
        calls += 1;
        if (calls === 2) return Promise.reject(new Error('database down'));
        return new Promise<number>((resolve) => { release = () => resolve(calls); });
      },
      onError: -1,
    });
    const again = job.runOnce(); // the start-up run is still going: the same run
    expect(calls).toBe(1);
    release();
    expect(await again).toBe(1);
    expect(await job.runOnce()).toBe(-1);
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), 'test job failed');
    const third = job.runOnce();
    release();
    expect(await third).toBe(3);
    await job.stop();
  });
});
