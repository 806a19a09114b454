/**
 * True when an error means the database cannot be reached right now (server restarting, network
 * gone), as opposed to a bug: such requests get a friendly 503 and the pool reconnects by itself.
 */
const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'P1001', 'P1002', 'P1017']);
const unavailableMessages = /Connection terminated|connection timeout|Can't reach database|DatabaseNotReachable|ConnectionClosed|terminating connection|the database system is (starting up|shutting down)/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth += 1) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown; originalCode?: unknown };
    if (typeof candidate.code === 'string' && unavailableCodes.has(candidate.code)) return true;
    if (typeof candidate.originalCode === 'string' && unavailableCodes.has(candidate.originalCode)) return true;
    if (typeof candidate.kind === 'string' && /DatabaseNotReachable|ConnectionClosed|SocketTimeout/.test(candidate.kind)) return true;
    if (typeof candidate.message === 'string' && unavailableMessages.test(candidate.message)) return true;
    current = candidate.cause;
  }
  return false;
}
