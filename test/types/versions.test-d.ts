import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineCommand, defineNotification, defineQuery } from '../../src/index.js';

const V1 = z.object({ name: z.string() });
const V2 = z.object({ first: z.string(), last: z.string() });
const V3 = z.object({ first: z.string(), last: z.string(), title: z.string().default('') });
const output = z.object({ greeting: z.string() });

describe('contract versions: upcasters are typed from the two schemas', () => {
  it('upcast[1] takes a parsed v1 input and must return a v2 input', () => {
    defineCommand({
      name: 'Greet',
      version: 2,
      input: V2,
      output,
      previousInputs: { 1: V1 },
      upcast: {
        1: (old) => {
          expectTypeOf(old).toEqualTypeOf<{ name: string }>();
          return { first: old.name, last: '' };
        },
      },
    });
  });

  it('each step returns the next version: 1 → 2 → 3, async steps too', () => {
    defineQuery({
      name: 'Greet3',
      version: 3,
      input: V3,
      output,
      previousInputs: { 1: V1, 2: V2 },
      upcast: {
        1: (old) => ({ first: old.name, last: '' }),
        2: (v2) => {
          expectTypeOf(v2).toEqualTypeOf<{ first: string; last: string }>();
          return Promise.resolve({ ...v2, title: 'Dr' });
        },
      },
    });
  });

  it('notifications take the same fields', () => {
    defineNotification({
      name: 'Greeted',
      version: 2,
      input: V2,
      previousInputs: { 1: V1 },
      upcast: { 1: (old) => ({ first: old.name, last: old.name }) },
    });
  });

  it('rejects an upcaster returning the wrong shape, or reading a field the old version lacks', () => {
    defineCommand({
      name: 'Bad',
      version: 2,
      input: V2,
      output,
      previousInputs: { 1: V1 },
      // @ts-expect-error `last` is missing from the v2 input
      upcast: { 1: (old) => ({ first: old.name }) },
    });
    defineCommand({
      name: 'Bad2',
      version: 2,
      input: V2,
      output,
      previousInputs: { 1: V1 },
      // @ts-expect-error v1 has no `email`
      upcast: { 1: (old) => ({ first: String(old.email), last: '' }) },
    });
  });

  it('a versioned definition keeps its inferred input and output types', () => {
    const Greet = defineCommand({ name: 'G', version: 2, input: V2, output, previousInputs: { 1: V1 } });
    expectTypeOf<z.input<typeof Greet.input>>().toEqualTypeOf<{ first: string; last: string }>();
    expectTypeOf(Greet.version).toEqualTypeOf<number | undefined>();
  });
});
