/**
 * Counts the SQL statements a portal process sends to PostgreSQL, exactly, without touching src/:
 * a TCP proxy between the portal and the server that reads the frontend side of the PostgreSQL wire
 * protocol. Every simple Query ('Q') and every Execute ('E') of the extended protocol is one statement;
 * Parse/Bind tell which SQL an Execute runs, so statements are also sorted into kinds.
 *
 * (pg_stat_statements would need shared_preload_libraries and a server restart; the per-table scan
 * counters of pg_stat_user_tables count scans, not statements, and are flushed by backends lazily.)
 */
import net from 'node:net';

export type StatementKind = 'transaction' | 'session' | 'other';

export interface StatementCounts {
  total: number;
  transaction: number;
  session: number;
  other: number;
}

/** BEGIN/COMMIT/ROLLBACK/SAVEPOINT, the session store's "Session" table, everything else. */
export function kindOf(sql: string): StatementKind {
  if (/^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|START TRANSACTION|SET TRANSACTION)\b/i.test(sql)) return 'transaction';
  if (/"Session"/.test(sql)) return 'session';
  return 'other';
}

export interface QueryCounter {
  /** host:port to put in the portal's DATABASE_URL. */
  port: number;
  snapshot(): StatementCounts;
  /** The last statements seen (for a look at what a page runs). */
  recent(): string[];
  close(): Promise<void>;
}

const sslRequestCode = 80877103;
const gssEncRequestCode = 80877104;
const cancelRequestCode = 80877102;

/** Reads the frontend messages of one connection as they pass. */
class FrontendParser {
  private buffer: Buffer = Buffer.alloc(0);
  private startup = true;
  private readonly statements = new Map<string, string>();
  private boundSql = '';

  constructor(private readonly onStatement: (sql: string) => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.startup) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        // SSL/GSS negotiation and cancel requests come before (or instead of) the startup message.
        if (code !== sslRequestCode && code !== gssEncRequestCode && code !== cancelRequestCode) this.startup = false;
        this.buffer = this.buffer.subarray(length);
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = this.buffer.readInt32BE(1);
      if (this.buffer.length < 1 + length) return;
      this.message(String.fromCharCode(this.buffer[0]), this.buffer.subarray(5, 1 + length));
      this.buffer = this.buffer.subarray(1 + length);
    }
  }

  private message(type: string, body: Buffer): void {
    switch (type) {
      case 'Q':
        this.onStatement(cString(body, 0).value);
        break;
      case 'P': {
        const name = cString(body, 0);
        this.statements.set(name.value, cString(body, name.next).value);
        break;
      }
      case 'B': {
        const portal = cString(body, 0);
        this.boundSql = this.statements.get(cString(body, portal.next).value) ?? '';
        break;
      }
      case 'E':
        this.onStatement(this.boundSql);
        break;
      default:
        break;
    }
  }
}

function cString(buffer: Buffer, start: number): { value: string; next: number } {
  const end = buffer.indexOf(0, start);
  return { value: buffer.toString('utf8', start, end), next: end + 1 };
}

export async function startQueryCounter(target: { host: string; port: number }): Promise<QueryCounter> {
  const counts: StatementCounts = { total: 0, transaction: 0, session: 0, other: 0 };
  const lastStatements: string[] = [];
  const sockets = new Set<net.Socket>();
  const onStatement = (sql: string) => {
    counts.total += 1;
    counts[kindOf(sql)] += 1;
    lastStatements.push(sql);
    if (lastStatements.length > 200) lastStatements.shift();
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const parser = new FrontendParser(onStatement);
    client.on('data', (chunk: Buffer) => {
      parser.push(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    snapshot: () => ({ ...counts }),
    recent: () => [...lastStatements],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function difference(after: StatementCounts, before: StatementCounts): StatementCounts {
  return {
    total: after.total - before.total,
    transaction: after.transaction - before.transaction,
    session: after.session - before.session,
    other: after.other - before.other,
  };
}
