/**
 * A small codec server: the HTTP endpoint the Temporal Web UI (`--ui-codec-endpoint`, or the UI's
 * "Codec Server" setting) and `temporal --codec-endpoint` call to show decrypted payloads to operators.
 * Protocol: `POST …/encode` and `POST …/decode` with `{ "payloads": [{ "metadata": { k: base64 },
 * "data": base64 }] }` (Temporal's proto JSON), answered in the same shape; only the last path
 * segment is looked at, so it can be mounted under any prefix.
 *
 * Whoever reaches `/decode` reads plaintext: bind it to a private address, list the UI's origin in
 * `corsOrigins`, and check the caller with `authorize` (the UI can forward the user's access token).
 * `authorize` is required (`'allow-all'` says so explicitly, for local use); `/encode` — which turns
 * the server into an encryption oracle — answers only with `allowEncode: true`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload } from '@temporalio/common';
import type { EncryptionOptions } from './codec.js';
import { EncryptionError, createEncryptionCodec } from './codec.js';
import { InvalidOptionError, errorMessage } from '../core/errors.js';

/** Decides whether a request may encode/decode; `false` answers 403. */
export type CodecAuthorizer = (request: IncomingMessage) => boolean | Promise<boolean>;

/** Options of {@link createCodecServer}. */
export interface CodecServerOptions {
  /** The same keys as the mediator and workers. */
  encryption: EncryptionOptions;
  /** Port to listen on; 0 picks a free one. @default 8888 */
  port?: number;
  /** Address to bind. @default '127.0.0.1' */
  host?: string;
  /**
   * Browser origins allowed to call (the Web UI's), or `'*'` for any. Listed origins may send
   * credentials (cookies, `Authorization`); `'*'` answers `Access-Control-Allow-Origin: *` without
   * credentials, as browsers require. @default ['http://localhost:8233']
   */
  corsOrigins?: string[] | '*';
  /**
   * Called for every encode/decode request; return false to answer 403. Required: pass a check (the
   * UI can forward the user's access token), or `'allow-all'` to open it knowingly (local development).
   */
  authorize: CodecAuthorizer | 'allow-all';
  /**
   * Answer `POST /encode`. Off by default: whoever reaches it can have arbitrary data encrypted with
   * your keys. The Web UI and `temporal --codec-endpoint` only need `/decode` to show payloads.
   * @default false
   */
  allowEncode?: boolean;
  /** Largest request body accepted, in bytes. @default 8 MiB */
  maxBodyBytes?: number;
}

/** A listening codec server. */
export interface CodecServer {
  /** `http://host:port`, the value for `--ui-codec-endpoint`. */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function fromJson(p: JsonPayload): Payload {
  if (typeof p !== 'object' || p === null) throw new HttpError(400, 'each payload must be an object');
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) {
    if (typeof v !== 'string') throw new HttpError(400, `metadata '${k}' must be a base64 string`);
    metadata[k] = Buffer.from(v, 'base64');
  }
  if (p.data != null && typeof p.data !== 'string') throw new HttpError(400, 'data must be a base64 string');
  return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
}

function toJson(p: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') };
}

async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `body over ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body must be JSON: { "payloads": [...] }');
  }
}

function corsHeaders(origin: string | undefined, allowed: string[] | '*'): Record<string, string> {
  if (!origin || (allowed !== '*' && !allowed.includes(origin))) return {};
  // Any origin, then without credentials: a page on any site must not ride on the user's cookies.
  const who: Record<string, string> =
    allowed === '*'
      ? { 'access-control-allow-origin': '*' }
      : { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
  return {
    ...who,
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'Content-Type, X-Namespace, Authorization',
    'access-control-max-age': '600',
  };
}

/**
 * Starts a codec server for the given keys and resolves once it listens.
 *
 * @example
 * const codec = await createCodecServer({
 *   encryption,
 *   port: 8888,
 *   corsOrigins: ['http://localhost:8233'],
 *   authorize: (req) => checkToken(req.headers.authorization),
 * });
 * // temporal server start-dev --ui-codec-endpoint http://127.0.0.1:8888
 */
export async function createCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const authorize = options.authorize as CodecServerOptions['authorize'] | undefined;
  if (authorize !== 'allow-all' && typeof authorize !== 'function') {
    throw new InvalidOptionError(
      'authorize',
      "required: a function (request) => boolean that checks the caller, or 'allow-all' to let anyone who reaches the server decode payloads",
    );
  }
  const codec = createEncryptionCodec(options.encryption);
  const allowed = options.corsOrigins ?? ['http://localhost:8233'];
  const limit = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const handle = async (req: IncomingMessage, res: ServerResponse, cors: Record<string, string>) => {
    const op = new URL(req.url ?? '/', 'http://codec').pathname.split('/').filter(Boolean).pop();
    if (op !== 'encode' && op !== 'decode') throw new HttpError(404, 'POST /encode or /decode');
    if (op === 'encode' && !options.allowEncode) {
      throw new HttpError(404, '/encode is disabled (createCodecServer({ allowEncode: true }) enables it)');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    if (req.method !== 'POST') throw new HttpError(405, 'POST /encode or /decode');
    if (authorize !== 'allow-all' && !(await authorize(req))) throw new HttpError(403, 'forbidden');
    const body = (await readBody(req, limit)) as { payloads?: unknown };
    if (!Array.isArray(body?.payloads)) throw new HttpError(400, 'body must be { "payloads": [...] }');
    const payloads = (body.payloads as JsonPayload[]).map(fromJson);
    const out = op === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
    res
      .writeHead(200, { ...cors, 'content-type': 'application/json' })
      .end(JSON.stringify({ payloads: out.map(toJson) }));
  };
  const server = createServer((req, res) => {
    const cors = corsHeaders(req.headers.origin, allowed);
    handle(req, res, cors).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : err instanceof EncryptionError ? 400 : 500;
      // Messages name key ids and sizes, never key material or payload contents.
      const message = status === 500 ? 'codec error' : errorMessage(err);
      if (!res.headersSent) res.writeHead(status, { ...cors, 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: message }));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8888, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
