/**
 * Replays every recorded job history (`test/replay/<version>/*.json`) against the current workflow
 * code: an edit of `workflows/` that would break running jobs, or the console of finished ones,
 * fails here. Record new shapes with `npm run replay:record`; see CONTRIBUTING.md.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowBundle } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleMediatorWorkflows } from '../../src/worker/create-worker.js';
import { loadHistory } from '../replay/history.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../replay');

/** Every fixture, as `<version>/<shape>`. */
const fixtures = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d+\.\d+\.\d+/.test(d.name))
  .flatMap((d) =>
    readdirSync(join(root, d.name))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${d.name}/${f.slice(0, -'.json'.length)}`),
  )
  .sort();

const history = (fixture: string) => loadHistory(join(root, `${fixture}.json`));

async function replay(bundle: WorkflowBundle, names: string[]) {
  const results = new Map<string, Error | undefined>();
  const histories = names.map((workflowId) => ({ workflowId, history: history(workflowId) }));
  for await (const r of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    results.set(r.workflowId, r.error);
  }
  return results;
}

beforeAll(() => {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed in this process.
  }
});

describe('replay of recorded histories', () => {
  it('has a fixture for every job shape of the package version 0.1.0', () => {
    const shapes = fixtures.filter((f) => f.startsWith('0.1.0/')).map((f) => f.slice('0.1.0/'.length));
    expect(shapes).toEqual(
      expect.arrayContaining([
        'command',
        'query',
        'notification-fanout-retried',
        'console-progress',
        'cancelled',
        'attempt-timeout',
        'job-timeout',
        'fast-lane',
        'delayed-start',
        'schedule-started',
        'contract-upcast',
        'contract-ahead-waited',
        'fast-lane-contract-ahead',
        'envelope-newer-waited',
        'upcaster-failed',
      ]),
    );
  });

  it('the current workflow replays every fixture without nondeterminism', async () => {
    const results = await replay(await bundleMediatorWorkflows(), fixtures);
    const failures = [...results].filter(([, e]) => e).map(([f, e]) => `${f}: ${e?.message}`);
    expect(failures).toEqual([]);
    expect([...results.keys()].sort()).toEqual(fixtures);
  }, 120_000);

  it('fails when the workflow changes its command sequence (a timer added before the activity)', async () => {
    const altered = await bundleWorkflowCode({
      workflowsPath: join(root, 'altered/workflows.ts'),
      logger: new DefaultLogger('ERROR'),
    });
    const results = await replay(altered, ['0.1.0/command', '0.1.0/notification-fanout-retried']);
    for (const error of results.values()) {
      expect(error?.name).toBe('DeterminismViolationError');
    }
    expect(results.size).toBe(2);
  }, 120_000);
});
