import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ContractVersionError, createHandlers, defineCommand } from '../../src/index.js';
import type { ContractBackend, ContractEnv } from './backend.js';
import { V1, V2, V3 } from '../fixtures/versioned-greet.js';
import { rejection } from './suite.js';

const output = z.object({ greeting: z.string() });

// One request as three releases of callers know it; the backend's workers serve version 2.
const CGreetV1 = defineCommand({ name: 'CGreet', input: V1, output });
const CGreetV2 = defineCommand({
  name: 'CGreet',
  version: 2,
  input: V2,
  output,
  previousInputs: { 1: V1 },
  upcast: {
    1: (old) => {
      if (!old.name.includes(' ')) throw new Error(`cannot split '${old.name}'`);
      const [first = '', last = ''] = old.name.split(' ');
      return { first, last };
    },
  },
});
const CGreetV3 = defineCommand({ name: 'CGreet', version: 3, input: V3, output });

/** Contract and envelope versions, the same on every backend: part of the contract suite. */
export function versionSemantics(backend: ContractBackend): void {
  describe('contract versions', () => {
    const calls: unknown[] = [];
    let env: ContractEnv;

    beforeAll(async () => {
      const handlers = createHandlers().handle(CGreetV2, (input) => {
        calls.push(input);
        return { greeting: `Hello, ${input.first} ${input.last}` };
      });
      env = await backend.start(handlers);
    });
    afterAll(() => env.close());

    it('a job a v1 caller scheduled with a delay runs with the upcast input', async () => {
      const job = await env.mediator.schedule(CGreetV1, { name: 'Ada Lovelace' }, { delay: '1s' });
      expect(await env.settle(job.result())).toEqual({ greeting: 'Hello, Ada Lovelace' });
      expect(calls).toContainEqual({ first: 'Ada', last: 'Lovelace' });
    });

    it('a v3 payload waits on v2 workers: running, handler not run, no retry spent; it can be cancelled', async (t) => {
      // No workflow to wait in on the standalone lane: test/cluster/standalone.test.ts covers it there.
      if (backend.lane === 'standalone') t.skip('the standalone lane fails it with ContractVersionError');
      const before = calls.length;
      const job = await env.mediator.enqueue(
        CGreetV3,
        { first: 'A', last: 'B', title: 'Dr' },
        { retry: { maximumAttempts: 1 } },
      );
      await env.elapse(4_000);
      expect(await job.status()).toBe('running');
      expect(calls.length).toBe(before);
      await job.cancel();
      expect(await rejection(env.settle(job.result()))).toMatchObject({ name: 'JobCancelledError' });
      expect(await job.status()).toBe('cancelled');
    });

    it('an upcaster that throws fails the job at once with ContractVersionError', async () => {
      const job = await env.mediator.enqueue(CGreetV1, { name: 'Plato' });
      const err = await rejection(env.settle(job.result()));
      expect(err).toBeInstanceOf(ContractVersionError);
      expect(err).toMatchObject({
        code: 'CONTRACT_VERSION',
        request: 'CGreet',
        fromVersion: 1,
        toVersion: 2,
        attempt: 1,
        jobId: job.id,
      });
      expect(err.message).toMatch(/cannot split 'Plato'/);
    });
  });
}
