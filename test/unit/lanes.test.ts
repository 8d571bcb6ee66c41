import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../../src/index.js';
import type { AnyDefinition } from '../../src/index.js';
import { defaultMediatorOptions } from '../../src/dispatch/options.js';
import { buildEnvelope } from '../../src/dispatch/plan.js';
import { resolveLane } from '../../src/dispatch/lane.js';
import { startOnLane } from '../../src/client/lanes/start.js';

const Cmd = defineCommand({ name: 'LaneCmd', input: z.object({}), output: z.object({}) });
const FastCmd = defineCommand({
  name: 'LaneFast',
  input: z.object({}),
  output: z.object({}),
  fastLane: true,
});

describe('lanes', () => {
  it('the lane comes from the call, then the request, then the defaults; fastLane is the fast lane', () => {
    expect(resolveLane(Cmd, {}, {})).toBe('workflow');
    expect(resolveLane(Cmd, {}, { lane: 'standalone' })).toBe('standalone');
    expect(resolveLane(FastCmd, {}, { lane: 'standalone' })).toBe('fast');
    expect(resolveLane(FastCmd, { lane: 'standalone' }, {})).toBe('standalone');
    expect(resolveLane(FastCmd, { fastLane: false }, {})).toBe('workflow');
    expect(resolveLane(Cmd, { fastLane: true, lane: 'workflow' }, {})).toBe('workflow');
  });

  it('only the fast lane runs the handler as a local activity (the deprecated fastLane alias too)', () => {
    const resolved = defaultMediatorOptions();
    const plan = (options: object, definition: AnyDefinition = Cmd) => ({
      mode: 'enqueue' as const,
      definition,
      input: {},
      metadata: {},
      options,
    });
    expect(buildEnvelope(plan({ lane: 'fast' }), resolved).envelope.activity?.local).toBe(true);
    expect(buildEnvelope(plan({}, FastCmd), resolved).envelope.activity?.local).toBe(true);
    expect(buildEnvelope(plan({ lane: 'standalone' }), resolved).envelope.activity?.local).toBeUndefined();
    expect(buildEnvelope(plan({}), resolved).envelope.activity?.local).toBeUndefined();
  });

  it('an unknown lane or fallback is refused, listing the valid ones', () => {
    expect(() =>
      defineCommand({ name: 'Bad', input: z.object({}), output: z.object({}), lane: 'x' as 'fast' }),
    ).toThrow(/unsupported lane "x"; supported lanes are: workflow, fast, standalone/);
    expect(() =>
      defineCommand({
        name: 'Bad2',
        input: z.object({}),
        output: z.object({}),
        laneFallback: 'y' as 'error',
      }),
    ).toThrow(/supported values are: error, workflow/);
  });

  it('an SDK without client.activity: LaneUnsupportedError naming the SDK release, nothing started', async () => {
    const calls: string[] = [];
    const client = new Proxy(
      { options: { namespace: 'default' } },
      {
        get: (target, prop) => {
          calls.push(String(prop));
          return (target as Record<string | symbol, unknown>)[prop];
        },
      },
    ) as Client;
    const plan = {
      mode: 'enqueue' as const,
      definition: Cmd,
      input: {},
      metadata: {},
      options: { lane: 'standalone' as const },
    };
    await expect(startOnLane(client, plan, defaultMediatorOptions())).rejects.toMatchObject({
      name: 'LaneUnsupportedError',
      code: 'LANE_UNSUPPORTED',
      lane: 'standalone',
      reason: 'sdk',
    });
    await expect(startOnLane(client, plan, defaultMediatorOptions())).rejects.toThrow(
      /@temporalio\/client >= 1\.24\.0 \(this one has no client\.activity\)/,
    );
    expect(calls).toEqual(['activity', 'activity']);
  });
});
