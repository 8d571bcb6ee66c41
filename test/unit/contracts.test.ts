import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  InvalidOptionError,
  MediatorError,
  defineCommand,
  defineNotification,
  defineQuery,
} from '../../src/index.js';
import type { Duration } from '../../src/index.js';
import { thrownBy } from './helpers.js';

const input = z.object({ id: z.string() });
const output = z.object({ ok: z.boolean() });

function invalidOption(fn: () => unknown): InvalidOptionError {
  const err = thrownBy(fn);
  expect(err).toBeInstanceOf(InvalidOptionError);
  expect(err).toBeInstanceOf(MediatorError);
  return err as InvalidOptionError;
}

describe('defineCommand / defineQuery / defineNotification', () => {
  it('stamps the kind and keeps every field', () => {
    const cmd = defineCommand({ name: 'DoIt', input, output, queue: 'critical', timeout: '30s' });
    const query = defineQuery({ name: 'ReadIt', input, output });
    const event = defineNotification({ name: 'ItHappened', input });
    expect(cmd).toMatchObject({ kind: 'command', name: 'DoIt', queue: 'critical', timeout: '30s' });
    expect(cmd.input).toBe(input);
    expect(cmd.output).toBe(output);
    expect(query.kind).toBe('query');
    expect(event.kind).toBe('notification');
    expect(event.output).toBeUndefined();
  });

  it('returns frozen definitions', () => {
    const cmd = defineCommand({ name: 'Frozen', input, output });
    expect(Object.isFrozen(cmd)).toBe(true);
    expect(Object.isFrozen(defineNotification({ name: 'FrozenEvent', input }))).toBe(true);
    expect(() => {
      (cmd as { name: string }).name = 'Other';
    }).toThrow(TypeError);
  });

  it('does not alias the init object', () => {
    const init = { name: 'Copied', input, output, queue: 'a' };
    const cmd = defineCommand(init);
    init.queue = 'b';
    expect(cmd.queue).toBe('a');
  });

  it.each(['a.b', 'A_b-1', '_private', 'v2.Users.Create'])('accepts the name %j', (name) => {
    expect(defineCommand({ name, input, output }).name).toBe(name);
  });

  it.each(['', 'default', '__x', 'a b', 'User:Created', '1abc', '-a', 'é'])('rejects the name %j', (name) => {
    const err = invalidOption(() => defineCommand({ name, input, output }));
    expect(err.option).toBe('name');
    expect(err.code).toBe('INVALID_OPTION');
    expect(err.message).toContain(JSON.stringify(name));
    expect(err.message).toContain("invalid option 'name'");
  });

  it('rejects a non-string name at run time', () => {
    const err = invalidOption(() => defineNotification({ name: 42 as unknown as string, input }));
    expect(err.option).toBe('name');
  });

  it('rejects a non-zod input, naming the option and the request', () => {
    const err = invalidOption(() =>
      defineCommand({ name: 'BadInput', input: { parse: () => 1 } as unknown as z.ZodType, output }),
    );
    expect(err.option).toBe('input');
    expect(err.request).toBe('BadInput');
    expect(err.message).toContain('BadInput');
    expect(err.message).toContain("'input'");
  });

  it('rejects a non-zod output for commands and queries', () => {
    const missing = invalidOption(() =>
      defineQuery({ name: 'NoOutput', input, output: undefined as unknown as z.ZodType }),
    );
    expect(missing.option).toBe('output');
    expect(missing.message).toContain('NoOutput');
    const notSchema = invalidOption(() =>
      defineCommand({ name: 'BadOutput', input, output: 'string' as unknown as z.ZodType }),
    );
    expect(notSchema.option).toBe('output');
  });

  it('does not require an output for notifications', () => {
    expect(() => defineNotification({ name: 'NoOutputNeeded', input })).not.toThrow();
  });

  it.each([
    ['timeout', { timeout: '30 parsecs' }],
    ['timeout', { timeout: -1 }],
    ['jobTimeout', { jobTimeout: 'soon' }],
    ['retry.initialInterval', { retry: { initialInterval: '1 fortnight' } }],
    ['retry.maximumInterval', { retry: { maximumInterval: -5 } }],
    ['retry.maximumAttempts', { retry: { maximumAttempts: 1.5 } }],
    ['retry.maximumAttempts', { retry: { maximumAttempts: -1 } }],
    ['retry.backoffCoefficient', { retry: { backoffCoefficient: 0.5 } }],
    ['retry.backoffCoefficient', { retry: { backoffCoefficient: Number.NaN } }],
    ['queue', { queue: '  ' }],
  ] as const)('rejects an invalid %s (%j) naming the option and the request', (option, bad) => {
    const err = invalidOption(() =>
      defineCommand({ name: 'Configured', input, output, ...(bad as Record<string, unknown>) }),
    );
    expect(err.option).toBe(option);
    expect(err.request).toBe('Configured');
    expect(err.message).toContain(`'${option}'`);
    expect(err.message).toContain('Configured');
  });

  it('validates background options of notifications too', () => {
    const err = invalidOption(() =>
      defineNotification({ name: 'Evt', input, timeout: '3 eons' as Duration }),
    );
    expect(err.option).toBe('timeout');
    expect(err.message).toContain('Evt');
  });

  it('accepts valid durations and retry policies', () => {
    const def = defineCommand({
      name: 'WellConfigured',
      input,
      output,
      timeout: 250,
      jobTimeout: '1h',
      retry: { maximumAttempts: 0, initialInterval: '500ms', backoffCoefficient: 1, maximumInterval: '1m' },
    });
    expect(def.retry?.maximumAttempts).toBe(0);
  });
});
