import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createActivities } from '../../activities/index.js';
import { createHandlers, defineCommand } from '../../src/index.js';

const Ping = defineCommand({ name: 'Ping', input: z.object({}), output: z.object({}) });
const handlers = createHandlers().handle(Ping, () => ({}));

describe('createActivities', () => {
  it("does not claim every unknown activity type with a 'default' activity unless asked", () => {
    const activities = createActivities(handlers);
    expect(Object.keys(activities)).toContain('Ping');
    expect(activities).not.toHaveProperty('default');
  });

  it("registers the 'default' activity with { defaultActivity: true } (what createWorker uses)", () => {
    const activities = createActivities(handlers, { defaultActivity: true });
    expect(activities.default).toBeTypeOf('function');
  });
});
