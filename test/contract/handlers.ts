import { createHandlers, NonRetryableError } from '../../src/index.js';
import type { Handlers } from '../../src/index.js';
import type { Deferred } from './backend.js';
import { deferred } from './backend.js';
import { CBadOutput, CEcho, CFlaky, CHang, COrderPlaced, CRefuse, CReport, CWait } from './contracts.js';

/** A handler error with its own class name (the job reports it as the failure's `type`). */
export class PaymentDeclined extends Error {}

/** One `CWait` run the test controls: it sees when it starts and is aborted, and can release it. */
export interface Waiter {
  started: Deferred;
  aborted: Deferred<unknown>;
  release: Deferred;
  /** Keep waiting for `release` even after the abort signal (a handler that ignores cancellation). */
  ignoreAbort: boolean;
}

/** What the contract handlers record. */
export class ContractState {
  now: () => number = Date.now;
  readonly calls = new Map<string, number>();
  readonly flaky: { attempt: number; at: number }[] = [];
  readonly hang: { attempt: number; aborted: boolean }[] = [];
  readonly waiters = new Map<string, Waiter>();
  /** What notification handlers saw as job id, idempotency key and handler name. */
  readonly keys: { jobId: string | undefined; key: string | undefined; handler: string | undefined }[] = [];

  count(name: string): void {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
  }

  called(name: string): number {
    return this.calls.get(name) ?? 0;
  }

  waiter(key: string): Waiter {
    let w = this.waiters.get(key);
    if (!w) {
      w = { started: deferred(), aborted: deferred(), release: deferred(), ignoreAbort: false };
      this.waiters.set(key, w);
    }
    return w;
  }
}

function untilAborted(signal: AbortSignal, release?: Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    void release?.then(resolve);
  });
}

/** The handlers every backend serves in the contract suite. */
export function contractHandlers(s: ContractState): Handlers {
  return createHandlers()
    .handle(CEcho, (input, ctx) => {
      s.count(`CEcho:${input.text}`);
      return { text: input.text, attempt: ctx.attempt ?? 0 };
    })
    .handle(CFlaky, (input, ctx) => {
      const attempt = ctx.attempt ?? 0;
      s.flaky.push({ attempt, at: s.now() });
      if (attempt <= input.failTimes) throw new Error(`transient failure #${attempt}`);
      return { attempts: attempt };
    })
    .handle(CWait, async (input, ctx) => {
      const w = s.waiter(input.key);
      s.count(`CWait:${input.key}`);
      ctx.signal.addEventListener('abort', () => w.aborted.resolve(ctx.signal.reason), { once: true });
      w.started.resolve();
      if (w.ignoreAbort) await w.release.promise;
      else await untilAborted(ctx.signal, w.release.promise);
      return { done: true };
    })
    .handle(CHang, async (_input, ctx) => {
      const run = { attempt: ctx.attempt ?? 0, aborted: false };
      s.hang.push(run);
      await untilAborted(ctx.signal).catch((err: unknown) => {
        run.aborted = true;
        throw err;
      });
      return {};
    })
    .handle(CBadOutput, () => {
      s.count('CBadOutput');
      return { id: 42 } as unknown as { id: string };
    })
    .handle(CRefuse, (input) => {
      s.count(`CRefuse:${input.reason}`);
      if (input.reason === 'closed')
        throw new NonRetryableError('account is closed', { type: 'AccountClosed' });
      throw new PaymentDeclined('card declined');
    })
    .handle(CReport, async (input, ctx) => {
      ctx.log.info('rendering report', { pages: input.pages });
      for (let page = 1; page <= input.pages; page++) {
        ctx.log.info(`page ${page} rendered`);
        if (page === Math.floor(input.pages / 2))
          ctx.progress({ done: page, total: input.pages, message: 'half way' });
      }
      await Promise.resolve();
      ctx.log.warn('report done');
      return { pages: input.pages };
    })
    .on(COrderPlaced, 'email', async (event, ctx) => {
      s.count(`email:${event.orderId}`);
      if (event.orderId.startsWith('always')) throw new Error('mailbox full');
      if (event.orderId.startsWith('twice') && s.called(`email:${event.orderId}`) < 3) {
        throw new Error('mail server down');
      }
      if (event.orderId.startsWith('wait')) await untilAborted(ctx.signal);
    })
    .on(COrderPlaced, 'audit', (event, ctx) => {
      s.count(`audit:${event.orderId}`);
      s.keys.push({ jobId: ctx.jobId, key: ctx.idempotencyKey, handler: ctx.handler });
    });
}
