/**
 * The demo and the Web UI on the cluster: `npm run demo -- --cluster --once` runs its guided tour
 * against the running cluster (found through TEMPORAL_CLUSTER_CONTROL), and the UI server 2.56.4
 * lists a mediator job by its `MediatorRequest` search attribute through its own HTTP API, as the
 * UI's workflow list does.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/cluster.js';
import { createHandlers, defineCommand } from '../../src/index.js';
import { testMediator, testWorker, uniqueQueue } from '../integration/helpers.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Runs `npm …` in its own process group, SIGKILLed as a group if it outlives `timeoutMs`. */
function npm(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, {
      cwd: repoRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const Ping = defineCommand({
  name: 'ClusterUiPing',
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
});

describe('cluster: demo and Web UI', () => {
  it('npm run demo -- --cluster --once: the guided tour passes on the cluster', async () => {
    const env = { ...process.env, PORT: String(await freePort()) };
    const { code, output } = await npm(['run', 'demo', '--', '--cluster', '--once'], env, 150_000);
    expect(output).toContain('(TEMPORAL_CLUSTER_CONTROL)');
    expect(output).toMatch(/Tour finished: \d+ step\(s\) passed, 0 failed/);
    expect(code, output).toBe(0);
  }, 180_000);

  it('the Web UI server lists a mediator job by MediatorRequest', async () => {
    const webUi = inject('clusterWebUi');
    expect(webUi).toMatch(/^http:/);
    const queue = uniqueQueue('ui');
    const mediator = await testMediator({ defaults: { queue } });
    cleanup.push(() => mediator.close());
    const worker = await testWorker(
      createHandlers().handle(Ping, (input) => input),
      { queues: [queue] },
    );
    const job = await mediator.enqueue(Ping, { n: 1 }, { description: 'cluster UI check' });
    await worker.runUntil(job.result());

    const query = encodeURIComponent(`MediatorRequest="ClusterUiPing" AND WorkflowId="${job.id}"`);
    let listed: { executions?: { execution?: { workflowId?: string } }[] } = {};
    for (let i = 0; i < 40 && !listed.executions?.length; i++) {
      if (i) await sleep(250); // visibility is eventually consistent
      const response = await fetch(`${webUi}/api/v1/namespaces/default/workflows?query=${query}`);
      expect(response.status).toBe(200);
      listed = (await response.json()) as typeof listed;
    }
    expect(listed.executions?.map((e) => e.execution?.workflowId)).toEqual([job.id]);
    const settings = (await (await fetch(`${webUi}/api/v1/settings`)).json()) as { Version?: string };
    expect(settings.Version).toBe('2.56.4');
  }, 60_000);
});
