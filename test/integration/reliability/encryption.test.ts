/**
 * Encrypted payloads: with `encryption`, the client and the worker run every payload through the
 * AES-256-GCM codec, so the server's history (read raw with the real `temporal` CLI) holds no
 * plaintext of the input, the result, the console lines or the description; the mediator still
 * returns the plaintext result. Keys rotate by id; the codec server decrypts for the Web UI.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import type { EncryptionOptions, Mediator } from '../../../src/index.js';
import type { MediatorWorker } from '../../../src/worker/create-worker.js';
import { EncryptionError, createCodecServer, createHandlers, defineCommand } from '../../../src/index.js';
import { ENCRYPTED_ENCODING } from '../../../src/security/codec.js';
import { address, testMediator, testWorker, uniqueQueue } from '../helpers.js';

const run = promisify(execFile);

const Secret = defineCommand({
  name: 'Secret',
  input: z.object({ secret: z.string() }),
  output: z.object({ echoed: z.string() }),
  retry: { maximumAttempts: 2, initialInterval: '100ms' },
});

const handlers = createHandlers().handle(Secret, ({ secret }, ctx) => {
  ctx.log.info(`console line for ${secret.replace('in-', 'log-')}`);
  return { echoed: secret.replace('in-', 'out-') };
});

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const key = () => randomBytes(32);

/** The raw history, as the server stores it, read with the real CLI (no codec). */
async function rawHistory(workflowId: string): Promise<string> {
  const { stdout } = await run(
    inject('temporalCliPath'),
    ['workflow', 'show', '--workflow-id', workflowId, '--address', address(), '--output', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** Every string in the JSON, and every string's base64 decoding (payload data and metadata are base64). */
function readableText(json: string): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v, Buffer.from(v, 'base64').toString('latin1'));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(JSON.parse(json));
  return out.join('\n');
}

interface JsonPayload {
  metadata: Record<string, string>;
  data: string;
}

/** The payloads in a raw history, with their metadata decoded. */
function payloadsOf(json: string): (JsonPayload & { meta: Record<string, string> })[] {
  const found: (JsonPayload & { meta: Record<string, string> })[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'encoding' in o.metadata) {
      const metadata = o.metadata as Record<string, string>;
      const meta = Object.fromEntries(
        Object.entries(metadata).map(([k, b]) => [k, Buffer.from(b, 'base64').toString('utf8')]),
      );
      found.push({ metadata, data: typeof o.data === 'string' ? o.data : '', meta });
      return;
    }
    Object.values(o).forEach(walk);
  };
  walk(JSON.parse(json));
  return found;
}

async function setup(encryption: EncryptionOptions | undefined, queue = uniqueQueue('crypt')) {
  const worker: MediatorWorker = await testWorker(handlers, { queues: [queue], encryption });
  const running = worker.run();
  cleanup.push(async () => {
    worker.shutdown();
    await running;
  });
  const mediator: Mediator = await testMediator({ encryption, defaults: { queue } });
  cleanup.push(() => mediator.close());
  return { mediator, queue };
}

async function runSecretJob(mediator: Mediator) {
  const tag = randomUUID();
  const secrets = {
    input: `in-${tag}`,
    result: `out-${tag}`,
    console: `log-${tag}`,
    description: `desc-${tag}`,
  };
  const job = await mediator.enqueue(Secret, { secret: secrets.input }, { description: secrets.description });
  const result = await job.result();
  const logs = await job.logs();
  return { job, result, logs, secrets, history: await rawHistory(job.id) };
}

describe('encrypted payloads', () => {
  it('the raw history holds no plaintext of input, result, console lines or description; the mediator decrypts', async () => {
    const encryption = { keys: { k1: key() }, activeKeyId: 'k1' };
    const { mediator } = await setup(encryption);
    const { result, logs, secrets, history } = await runSecretJob(mediator);
    expect(result).toEqual({ echoed: secrets.result });
    expect(logs.map((l) => l.message)).toContain(`console line for ${secrets.console}`);

    const text = readableText(history);
    for (const plain of Object.values(secrets)) expect(text).not.toContain(plain);
    const payloads = payloadsOf(history);
    // Search attributes are indexed by the server, so never encoded: the only one is the request name.
    const searchAttributes = payloads.filter((p) => p.meta.type !== undefined);
    expect(searchAttributes.map((p) => Buffer.from(p.data, 'base64').toString())).toEqual(['"Secret"']);
    const encrypted = payloads.filter((p) => p.meta.type === undefined);
    expect(encrypted.length).toBeGreaterThanOrEqual(4); // input, summary, console signal, results…
    for (const p of encrypted) {
      expect(p.meta).toMatchObject({ encoding: ENCRYPTED_ENCODING, 'encryption-key-id': 'k1' });
    }

    // Control: the same job without encryption shows every plaintext, so the search above is sound.
    const plain = await setup(undefined);
    const control = await runSecretJob(plain.mediator);
    const controlText = readableText(control.history);
    for (const p of [control.secrets.input, control.secrets.result, control.secrets.console]) {
      expect(controlText).toContain(p);
    }
    console.info(
      `[encryption] encrypted payloads in history=${encrypted.length}, plaintext found=0 (control without encryption: 3 of 3 found)`,
    );
  });

  it('key rotation: payloads written with k1 still decrypt after k2 becomes the active key', async () => {
    const k1 = key();
    const k2 = key();
    const before = { keys: { k1 }, activeKeyId: 'k1' };
    const after = { keys: { k1, k2 }, activeKeyId: 'k2' };
    const queue = uniqueQueue('rotate');

    const old = await setup(before, queue);
    const done = await runSecretJob(old.mediator);
    // Enqueued with k1 but run after the rotation (no worker on its queue until then).
    const pendingQueue = uniqueQueue('rotate-pending');
    const oldCaller = await testMediator({ encryption: before, defaults: { queue: pendingQueue } });
    cleanup.push(() => oldCaller.close());
    const pending = await oldCaller.enqueue(Secret, { secret: `in-pending-${randomUUID()}` });

    const rotated = await setup(after, pendingQueue);
    const pendingResult = await rotated.mediator.job(Secret, pending.id).result();
    expect(pendingResult.echoed).toMatch(/^out-pending-/);
    await expect(rotated.mediator.job(Secret, done.job.id).result()).resolves.toEqual({
      echoed: done.secrets.result,
    });
    const keyIds = payloadsOf(await rawHistory(pending.id)).map((p) => p.meta['encryption-key-id']);
    expect(keyIds[0]).toBe('k1'); // the input, written before the rotation
    expect(keyIds).toContain('k2'); // the result, written after

    // A process without the old key cannot read k1 payloads: a typed error naming the key id, no key material.
    const newOnly = await testMediator({ encryption: { keys: { k2 }, activeKeyId: 'k2' } });
    cleanup.push(() => newOnly.close());
    const err = await newOnly
      .job(Secret, done.job.id)
      .result()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EncryptionError);
    expect(err).toMatchObject({ keyId: 'k1', code: 'PAYLOAD' });
    for (const k of [k1, k2]) {
      expect(String((err as Error).message)).not.toContain(k.toString('base64'));
      expect(String((err as Error).message)).not.toContain(k.toString('hex'));
    }
  });

  it('the codec server decrypts history payloads for the Web UI, with CORS for its origin', async () => {
    const encryption = { keys: { k1: key() }, activeKeyId: 'k1' };
    const { mediator } = await setup(encryption);
    const { secrets, history } = await runSecretJob(mediator);
    const ui = 'http://localhost:8233';
    const codec = await createCodecServer({ encryption, port: 0, corsOrigins: [ui], authorize: 'allow-all' });
    cleanup.push(() => codec.close());

    const encrypted = payloadsOf(history)
      .filter((p) => p.meta.encoding === ENCRYPTED_ENCODING)
      .map(({ metadata, data }) => ({ metadata, data }));
    const response = await fetch(`${codec.url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: ui },
      body: JSON.stringify({ payloads: encrypted }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ui);
    const { payloads } = (await response.json()) as { payloads: JsonPayload[] };
    const decoded = payloads.map((p) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n');
    expect(decoded).toContain(secrets.input);
    expect(decoded).toContain(secrets.result);
    expect(decoded).toContain(secrets.console);
    expect(Buffer.from(payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe('json/plain');

    const preflight = await fetch(`${codec.url}/decode`, {
      method: 'OPTIONS',
      headers: { origin: ui, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);
    console.info(`[encryption] codec server decoded ${payloads.length} history payloads over HTTP`);
  });
});
