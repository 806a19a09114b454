/**
 * Load generation from this process on loopback: autocannon for the pages and the protocol
 * submissions, and a loop of concurrent clients for the multipart uploads (every submission needs its
 * own IIN, and 8 files of 1-2 MB are streamed rather than built into one string).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import autocannon from 'autocannon';
import { cpuTimeMsOf } from './portal-process.ts';

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface RunResult {
  name: string;
  label: string;
  connections: number;
  durationSeconds: number;
  /** Responses received (any status). */
  requests: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  /** Non-2xx/3xx responses, socket errors and timeouts. */
  errors: number;
  statusCounts: Record<string, number>;
  socketErrors: number;
  timeouts: number;
  /** CPU time the server process spent per response (user + system, from /proc): immune to how busy the machine is. */
  serverCpuMsPerRequest: number | null;
  /** The start of the first error response's body, to say what went wrong. */
  firstErrorBody?: string;
  note?: string;
}

export function summarise(latencies: number[]): LatencySummary {
  if (latencies.length === 0) return { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(latencies).sort();
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1]),
    mean: round(latencies.reduce((sum, value) => sum + value, 0) / latencies.length),
  };
}

const isError = (status: number) => status < 200 || status >= 400;

function cpuPerRequest(before: number | null, after: number | null, requests: number): number | null {
  if (before === null || after === null || requests === 0) return null;
  return Math.round(((after - before) / requests) * 1000) / 1000;
}

export interface RequestSpec {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface AutocannonRun {
  name: string;
  label: string;
  baseUrl: string;
  connections: number;
  seconds: number;
  /** The server's process, for its CPU time per request. */
  serverPid?: number;
  /** Built anew for every request (a different page, cookie or protocol slot each time). */
  next: () => RequestSpec;
}

/** One autocannon run; latencies are taken from every response, so p95 is exact. */
export async function runAutocannon(run: AutocannonRun): Promise<RunResult> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let firstErrorBody: string | undefined;
  const cpuBefore = run.serverPid ? cpuTimeMsOf(run.serverPid) : null;
  const started = process.hrtime.bigint();
  // Without a callback autocannon returns its event emitter, made thenable (the types only say Promise).
  const instance = autocannon({
    url: run.baseUrl,
    connections: run.connections,
    duration: run.seconds,
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => {
          const spec = run.next();
          return {
            ...request,
            method: spec.method ?? 'GET',
            path: spec.path,
            headers: { ...spec.headers },
            body: spec.body,
          };
        },
        onResponse: (status: number, body: string) => {
          if (isError(status) && firstErrorBody === undefined) firstErrorBody = String(body).replace(/\s+/g, ' ').slice(0, 400);
        },
      },
    ],
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = run.serverPid ? cpuTimeMsOf(run.serverPid) : null;
  const badStatuses = Object.entries(statusCounts).reduce((sum, [status, count]) => sum + (isError(Number(status)) ? count : 0), 0);
  return {
    name: run.name,
    label: run.label,
    connections: run.connections,
    durationSeconds: Math.round(elapsed * 100) / 100,
    requests: latencies.length,
    requestsPerSecond: Math.round((latencies.length / elapsed) * 10) / 10,
    latencyMs: summarise(latencies),
    errors: badStatuses + result.errors + result.timeouts,
    statusCounts,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    serverCpuMsPerRequest: cpuPerRequest(cpuBefore, cpuAfter, latencies.length),
    firstErrorBody,
  };
}

// -------------------------------------------------------------------------------------------------
// Multipart uploads

export interface UploadFile {
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

/** Files that pass the portal's content check (magic bytes), padded with random bytes to `bytes`. */
export function makeDocumentFiles(): UploadFile[] {
  const pdf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.4\n%'), randomBytes(bytes - 20), Buffer.from('\n%%EOF\n')]);
  const jpeg = (bytes: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]), randomBytes(bytes - 14), Buffer.from([0xff, 0xd9])]);
  const mb = 1024 * 1024;
  return [
    { field: 'ID_CARD', filename: 'udostoverenie.jpg', contentType: 'image/jpeg', content: jpeg(Math.round(1.2 * mb)) },
    { field: 'EDUCATION_DIPLOMA', filename: 'diplom.pdf', contentType: 'application/pdf', content: pdf(Math.round(1.9 * mb)) },
    { field: 'YOUTH_WORK_CERTIFICATE', filename: 'sertifikat.pdf', contentType: 'application/pdf', content: pdf(Math.round(1.0 * mb)) },
    { field: 'RESIDENCE_PROOF', filename: 'adresnaya.pdf', contentType: 'application/pdf', content: pdf(Math.round(1.1 * mb)) },
    { field: 'POLICE_CLEARANCE', filename: 'nesudimost.pdf', contentType: 'application/pdf', content: pdf(Math.round(1.4 * mb)) },
    { field: 'NARCOLOGY_STATEMENT', filename: 'narkolog.pdf', contentType: 'application/pdf', content: pdf(Math.round(1.3 * mb)) },
    { field: 'PSYCHIATRY_STATEMENT', filename: 'psihiatr.pdf', contentType: 'application/pdf', content: pdf(Math.round(1.6 * mb)) },
    { field: 'RECOMMENDATION_LETTER', filename: 'rekomendaciya.pdf', contentType: 'application/pdf', content: pdf(Math.round(2.0 * mb)) },
  ];
}

export type FormFields = Record<string, string | string[]>;

function multipartParts(fields: FormFields, files: UploadFile[], boundary: string): Buffer[] {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${item}\r\n`));
    }
  }
  for (const file of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`));
    parts.push(file.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return parts;
}

export interface PostResult {
  status: number;
  location: string | undefined;
  body: string;
  ms: number;
}

/** One multipart POST, streamed part by part (the file buffers are shared, never copied). */
export function postMultipart(agent: http.Agent, url: string, cookie: string, fields: FormFields, files: UploadFile[]): Promise<PostResult> {
  const boundary = `----zhasbench${randomBytes(12).toString('hex')}`;
  const parts = multipartParts(fields, files, boundary);
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': length, Cookie: cookie },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          location: response.headers.location,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        }),
      );
      response.on('error', reject);
    });
    for (const part of parts) request.write(part);
    request.end();
  });
}

/** What went wrong in a 4xx/5xx form page: the field error messages, else the start of the text. */
export function errorSummary(html: string): string {
  const messages = [...html.matchAll(/class="[^"]*(?:field-error|error-message|error)[^"]*"[^>]*>([^<]{3,200})</g)].map((match) => match[1].trim());
  return (messages.length > 0 ? messages.slice(0, 5).join(' | ') : html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).slice(0, 400);
}

export interface UploadRun {
  name: string;
  label: string;
  baseUrl: string;
  /** One client per session (each with its own cookie and CSRF token). */
  sessions: { cookie: string; csrfToken: string }[];
  seconds: number;
  serverPid?: number;
  files: UploadFile[];
  /** The form fields of the next submission (a fresh IIN every time). */
  nextFields: () => FormFields;
}

/** `sessions.length` clients submitting applications back to back for `seconds`. */
export async function runUploads(run: UploadRun): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: run.sessions.length });
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let socketErrors = 0;
  let notSubmitted = 0;
  let firstErrorBody: string | undefined;
  const cpuBefore = run.serverPid ? cpuTimeMsOf(run.serverPid) : null;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + run.seconds * 1000;
  await Promise.all(
    run.sessions.map(async (session) => {
      while (Date.now() < deadline) {
        try {
          const result = await postMultipart(agent, `${run.baseUrl}/apply?_csrf=${encodeURIComponent(session.csrfToken)}`, session.cookie, run.nextFields(), run.files);
          latencies.push(result.ms);
          statusCounts[result.status] = (statusCounts[result.status] ?? 0) + 1;
          // Anything but the redirect to the confirmation stored no application: an error.
          if (result.status !== 303 || result.location !== '/apply/submitted') {
            notSubmitted += 1;
            firstErrorBody ??= `${result.status} ${result.location ?? ''} ${errorSummary(result.body)}`;
          }
        } catch (error) {
          socketErrors += 1;
          firstErrorBody ??= String(error);
        }
      }
    }),
  );
  agent.destroy();
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = run.serverPid ? cpuTimeMsOf(run.serverPid) : null;
  return {
    name: run.name,
    label: run.label,
    connections: run.sessions.length,
    durationSeconds: Math.round(elapsed * 100) / 100,
    requests: latencies.length,
    requestsPerSecond: Math.round((latencies.length / elapsed) * 10) / 10,
    latencyMs: summarise(latencies),
    errors: notSubmitted + socketErrors,
    statusCounts,
    socketErrors,
    timeouts: 0,
    serverCpuMsPerRequest: cpuPerRequest(cpuBefore, cpuAfter, latencies.length),
    firstErrorBody,
  };
}
