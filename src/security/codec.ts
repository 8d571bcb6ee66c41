/**
 * AES-256-GCM payload encryption: a Temporal `PayloadCodec` that encrypts every payload the client
 * and the worker send (inputs, results, console lines, summaries, heartbeat details), so the server,
 * its database and the Web UI hold ciphertext only. Keys are named; the key id travels in each
 * payload's metadata, so payloads written with an old key still decode after rotation.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { proto } from '../sdk/proto.js';
import { InvalidOptionError, MediatorError } from '../core/errors.js';

const { temporal } = proto;

/** `encoding` metadata of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key a payload was encrypted with. */
export const ENCRYPTION_KEY_ID_METADATA = 'encryption-key-id';
/** Metadata key naming the cipher. */
export const ENCRYPTION_CIPHER_METADATA = 'encryption-cipher';
/** The cipher this codec writes and reads. */
export const ENCRYPTION_CIPHER = 'AES-256-GCM';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * Payload encryption settings for `createMediator`, `createWorker` and `createCodecServer`. Give every
 * process the same keys: a worker that lacks the key of a job's payloads cannot run it.
 *
 * @example
 * const encryption = {
 *   keys: { k1: process.env.KEY_2024!, k2: process.env.KEY_2025! }, // base64 of 32 random bytes
 *   activeKeyId: 'k2',                                              // new payloads use k2; k1 still decrypts
 * };
 * const mediator = await createMediator({ connection, encryption });
 */
export interface EncryptionOptions {
  /** AES-256 keys by id: 32 bytes each, as bytes or base64. Keep retired keys while their payloads live. */
  keys: Record<string, Uint8Array | string>;
  /** The id (in `keys`) of the key that encrypts new payloads. */
  activeKeyId: string;
}

/** A payload could not be decrypted (unknown key id, wrong key, tampered data). */
export class EncryptionError extends MediatorError {
  override readonly name = 'EncryptionError';
  /** The key id the payload names, when it names one. */
  readonly keyId: string | undefined;
  constructor(message: string, context: { keyId?: string; cause?: unknown } = {}) {
    super('PAYLOAD', message, { cause: context.cause });
    this.keyId = context.keyId;
  }
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

function toKey(id: string, value: Uint8Array | string): Buffer {
  const key = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.from(value);
  // Name the key and its length, never its bytes.
  if (key.length !== KEY_BYTES) {
    throw new InvalidOptionError(
      'encryption.keys',
      `key '${id}' is ${key.length} bytes; AES-256 needs ${KEY_BYTES} (give bytes or base64, e.g. randomBytes(32).toString('base64'))`,
    );
  }
  return key;
}

/** Checks the options and returns the keys as buffers. */
function loadKeys(options: EncryptionOptions): Map<string, Buffer> {
  if (typeof options !== 'object' || options === null || typeof options.keys !== 'object' || !options.keys) {
    throw new InvalidOptionError('encryption', 'give { keys: { id: key }, activeKeyId }');
  }
  const keys = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(options.keys)) {
    if (!/^[\w.:-]{1,64}$/.test(id)) {
      throw new InvalidOptionError('encryption.keys', `key id '${id}' must be 1-64 of [A-Za-z0-9_.:-]`);
    }
    keys.set(id, toKey(id, value));
  }
  if (!keys.has(options.activeKeyId)) {
    throw new InvalidOptionError(
      'encryption.activeKeyId',
      `'${String(options.activeKeyId)}' is not a key id; the keys are: ${[...keys.keys()].join(', ') || '(none)'}`,
    );
  }
  return keys;
}

function metaString(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? text.decode(value) : undefined;
}

/**
 * The AES-256-GCM payload codec. Each payload is serialised whole (metadata and data), encrypted
 * with a random 96-bit IV and the active key, and replaced by a `binary/encrypted` payload whose
 * data is `iv ‖ ciphertext ‖ tag`; the key id is authenticated with it. Payloads that are not
 * encrypted (written before encryption was turned on) decode unchanged.
 */
export class EncryptionCodec implements PayloadCodec {
  readonly activeKeyId: string;
  readonly #keys: Map<string, Buffer>;

  constructor(options: EncryptionOptions) {
    this.#keys = loadKeys(options);
    this.activeKeyId = options.activeKeyId;
  }

  /** The key ids this codec can decrypt. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    // A promise executor turns a throw into a rejection.
    return new Promise((resolve) => resolve(payloads.map((p) => this.#encrypt(p))));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((p) => this.#decrypt(p))));
  }

  #encrypt(payload: Payload): Payload {
    const keyId = this.activeKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(keyId) as Buffer, iv);
    cipher.setAAD(utf8.encode(keyId));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        encoding: utf8.encode(ENCRYPTED_ENCODING),
        [ENCRYPTION_CIPHER_METADATA]: utf8.encode(ENCRYPTION_CIPHER),
        [ENCRYPTION_KEY_ID_METADATA]: utf8.encode(keyId),
      },
      data,
    };
  }

  #decrypt(payload: Payload): Payload {
    if (metaString(payload, 'encoding') !== ENCRYPTED_ENCODING) return payload;
    const keyId = metaString(payload, ENCRYPTION_KEY_ID_METADATA);
    const key = keyId === undefined ? undefined : this.#keys.get(keyId);
    if (keyId === undefined || !key) {
      throw new EncryptionError(
        `cannot decrypt a payload encrypted with key '${keyId ?? '(none)'}': this process has keys ${this.keyIds.join(', ')}; ` +
          'keep retired keys in `encryption.keys` while their payloads live',
        { keyId },
      );
    }
    const cipherName = metaString(payload, ENCRYPTION_CIPHER_METADATA) ?? ENCRYPTION_CIPHER;
    const data = payload.data ?? new Uint8Array();
    if (cipherName !== ENCRYPTION_CIPHER || data.length < IV_BYTES + TAG_BYTES) {
      throw new EncryptionError(`cannot decrypt a payload (${cipherName}, ${data.length} bytes)`, { keyId });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(utf8.encode(keyId));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch (err) {
      throw new EncryptionError(`cannot decrypt a payload with key '${keyId}': wrong key or tampered data`, {
        keyId,
        cause: err,
      });
    }
  }
}

/** Creates the AES-256-GCM {@link EncryptionCodec}; throws `InvalidOptionError` for bad keys. */
export function createEncryptionCodec(options: EncryptionOptions): EncryptionCodec {
  return new EncryptionCodec(options);
}

/**
 * A data converter with the encryption codec appended to `base`'s codecs (so it runs last on
 * encode, after compression, and first on decode). Use it for clients and workers you build
 * yourself: `new Client({ connection, dataConverter: encryptionDataConverter(encryption) })`.
 */
export function encryptionDataConverter(
  encryption: EncryptionOptions,
  base: DataConverter = {},
): DataConverter {
  return { ...base, payloadCodecs: [...(base.payloadCodecs ?? []), createEncryptionCodec(encryption)] };
}

/** `base` with encryption when it is configured; `base` as it is otherwise. */
export function withEncryption(
  base: DataConverter | undefined,
  encryption: EncryptionOptions | undefined,
): DataConverter | undefined {
  return encryption ? encryptionDataConverter(encryption, base) : base;
}
