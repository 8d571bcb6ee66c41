import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { CodecServer } from '../../src/security/codec-server.js';
import { createCodecServer } from '../../src/security/codec-server.js';
import {
  ENCRYPTED_ENCODING,
  ENCRYPTION_KEY_ID_METADATA,
  EncryptionError,
  createEncryptionCodec,
  encryptionDataConverter,
} from '../../src/security/codec.js';
import { InvalidOptionError } from '../../src/core/errors.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('utf8');

const payloadArb = fc.record({
  metadata: fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.uint8Array({ maxLength: 40 })),
  data: fc.uint8Array({ maxLength: 2000 }),
});

function same(a: Payload, b: Payload): void {
  expect(Buffer.from(b.data ?? new Uint8Array()).equals(Buffer.from(a.data ?? new Uint8Array()))).toBe(true);
  expect(Object.keys(b.metadata ?? {}).sort()).toEqual(Object.keys(a.metadata ?? {}).sort());
  for (const [k, v] of Object.entries(a.metadata ?? {})) {
    expect(Buffer.from(b.metadata?.[k] ?? new Uint8Array()).equals(Buffer.from(v))).toBe(true);
  }
}

describe('EncryptionCodec', () => {
  it('round-trips any payload; ciphertext carries the key id and no plaintext', async () => {
    const codec = createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k1' });
    await fc.assert(
      fc.asyncProperty(payloadArb, async (payload) => {
        const [encoded] = await codec.encode([payload]);
        expect(text(encoded?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
        expect(text(encoded?.metadata?.[ENCRYPTION_KEY_ID_METADATA])).toBe('k1');
        if (payload.data.length >= 8) {
          expect(Buffer.from(encoded?.data ?? []).includes(Buffer.from(payload.data))).toBe(false);
        }
        const [decoded] = await codec.decode([encoded as Payload]);
        same(payload, decoded as Payload);
      }),
      { numRuns: 200 },
    );
  });

  it('uses a fresh IV each time, and detects tampering', async () => {
    const codec = createEncryptionCodec({ keys: { k1: k1.toString('base64') }, activeKeyId: 'k1' });
    const plain = defaultPayloadConverter.toPayload({ card: '4111 1111 1111 1111' });
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a?.data ?? []).equals(Buffer.from(b?.data ?? []))).toBe(false);
    const tampered = Buffer.from(a?.data ?? []);
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    await expect(codec.decode([{ ...a, data: tampered }])).rejects.toBeInstanceOf(EncryptionError);
    // The key id is authenticated: relabelling a payload with another key id fails too.
    const other = createEncryptionCodec({ keys: { k1, k2: k1 }, activeKeyId: 'k1' });
    const relabelled = {
      ...a,
      metadata: { ...a?.metadata, [ENCRYPTION_KEY_ID_METADATA]: Buffer.from('k2') },
    };
    await expect(other.decode([relabelled])).rejects.toThrow(/wrong key or tampered/);
  });

  it('rotates keys: k1 payloads decode once k2 is active; a missing key is a typed error naming its id', async () => {
    const before = createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k1' });
    const after = createEncryptionCodec({ keys: { k1, k2 }, activeKeyId: 'k2' });
    const newOnly = createEncryptionCodec({ keys: { k2 }, activeKeyId: 'k2' });
    const plain = defaultPayloadConverter.toPayload('hello');
    const [old] = await before.encode([plain]);
    const [fresh] = await after.encode([plain]);
    expect(text(fresh?.metadata?.[ENCRYPTION_KEY_ID_METADATA])).toBe('k2');
    for (const p of [old, fresh]) {
      expect(defaultPayloadConverter.fromPayload((await after.decode([p as Payload]))[0] as Payload)).toBe(
        'hello',
      );
    }
    const err = await newOnly.decode([old as Payload]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EncryptionError);
    expect(err).toMatchObject({ keyId: 'k1', code: 'PAYLOAD' });
    expect((err as Error).message).toContain("'k1'");
    for (const k of [k1, k2]) expect((err as Error).message).not.toContain(k.toString('base64'));
  });

  it('passes payloads that were never encrypted through unchanged', async () => {
    const codec = createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k1' });
    const plain = defaultPayloadConverter.toPayload({ a: 1 });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses bad keys with InvalidOptionError that never shows key material', () => {
    const short = randomBytes(16);
    const err = (() => {
      try {
        createEncryptionCodec({ keys: { k1: short }, activeKeyId: 'k1' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as Error).message).toMatch(/key 'k1' is 16 bytes; AES-256 needs 32/);
    expect((err as Error).message).not.toContain(short.toString('base64'));
    expect(() => createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k9' })).toThrow(
      /'k9' is not a key id; the keys are: k1/,
    );
    expect(() => createEncryptionCodec({ keys: { 'bad id': k1 }, activeKeyId: 'bad id' })).toThrow(
      InvalidOptionError,
    );
  });

  it('encryptionDataConverter appends the codec after existing codecs', () => {
    const first = {
      encode: (p: Payload[]) => Promise.resolve(p),
      decode: (p: Payload[]) => Promise.resolve(p),
    };
    const dc = encryptionDataConverter({ keys: { k1 }, activeKeyId: 'k1' }, { payloadCodecs: [first] });
    expect(dc.payloadCodecs?.[0]).toBe(first);
    expect(dc.payloadCodecs).toHaveLength(2);
  });
});

describe('codec server', () => {
  let server: CodecServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const encryption = { keys: { k1, k2 }, activeKeyId: 'k2' };
  const json = (p: Payload) => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? []).toString('base64'),
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server?.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('encodes and decodes Temporal proto-JSON payloads, under any path prefix', async () => {
    server = await createCodecServer({ encryption, port: 0, authorize: 'allow-all', allowEncode: true });
    const plain = defaultPayloadConverter.toPayload({ secret: 'sauce' });
    const enc = await post('/encode', { payloads: [json(plain)] });
    expect(enc.status).toBe(200);
    const { payloads: encoded } = (await enc.json()) as { payloads: ReturnType<typeof json>[] };
    expect(Buffer.from(encoded[0]?.data ?? '', 'base64').toString()).not.toContain('sauce');
    const dec = await post('/codec/default/decode', { payloads: encoded });
    const { payloads } = (await dec.json()) as { payloads: ReturnType<typeof json>[] };
    expect(payloads).toEqual([json(plain)]);
    // Payloads written with the retired key decode too.
    const [old] = await createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k1' }).encode([plain]);
    const dec2 = await post('/decode', { payloads: [json(old as Payload)] });
    expect(((await dec2.json()) as { payloads: unknown[] }).payloads).toEqual([json(plain)]);
  });

  it('answers CORS for listed origins only', async () => {
    server = await createCodecServer({
      encryption,
      port: 0,
      corsOrigins: ['http://localhost:8233'],
      authorize: 'allow-all',
    });
    const pre = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:8233', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/);
    const evil = await post('/decode', { payloads: [] }, { origin: 'https://evil.example' });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses bad requests with clear statuses, and unauthorised callers', async () => {
    server = await createCodecServer({
      encryption,
      port: 0,
      maxBodyBytes: 1024,
      authorize: (req) => req.headers.authorization === 'Bearer ok',
    });
    const auth = { authorization: 'Bearer ok' };
    expect((await post('/decode', { payloads: [] })).status).toBe(403);
    expect((await post('/decode', 'not json', auth)).status).toBe(400);
    expect((await post('/decode', { nope: 1 }, auth)).status).toBe(400);
    expect((await post('/other', { payloads: [] }, auth)).status).toBe(404);
    expect((await post('/decode', { payloads: ['x'.repeat(2000)] }, auth)).status).toBe(413);
    const [foreign] = await createEncryptionCodec({
      keys: { k3: randomBytes(32) },
      activeKeyId: 'k3',
    }).encode([defaultPayloadConverter.toPayload(1)]);
    const res = await post('/decode', { payloads: [json(foreign as Payload)] }, auth);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/key 'k3'/);
    expect((await fetch(`${server.url}/decode`, { headers: auth })).status).toBe(405);
  });

  it('refuses to start without an explicit authorize', async () => {
    const options = { encryption, port: 0 } as unknown as Parameters<typeof createCodecServer>[0];
    await expect(createCodecServer(options)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      option: 'authorize',
      message: expect.stringMatching(/allow-all/) as unknown,
    });
    // @ts-expect-error authorize is required
    await expect(createCodecServer({ encryption, port: 0 })).rejects.toThrow(/authorize/);
  });

  it('answers a wildcard origin without credentials; listed origins with them', async () => {
    server = await createCodecServer({ encryption, port: 0, corsOrigins: '*', authorize: 'allow-all' });
    const any = await post('/decode', { payloads: [] }, { origin: 'https://evil.example' });
    expect(any.headers.get('access-control-allow-origin')).toBe('*');
    expect(any.headers.get('access-control-allow-credentials')).toBeNull();
    await server.close();
    server = await createCodecServer({
      encryption,
      port: 0,
      corsOrigins: ['http://localhost:8233'],
      authorize: 'allow-all',
    });
    const listed = await post('/decode', { payloads: [] }, { origin: 'http://localhost:8233' });
    expect(listed.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('keeps /encode off unless allowEncode, so it is no encryption oracle', async () => {
    server = await createCodecServer({ encryption, port: 0, authorize: 'allow-all' });
    const plain = json(defaultPayloadConverter.toPayload({ secret: 'sauce' }));
    const res = await post('/encode', { payloads: [plain] });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/allowEncode/);
    expect((await post('/decode', { payloads: [plain] })).status).toBe(200);
  });
});
