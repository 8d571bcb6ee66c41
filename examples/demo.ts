/**
 * `npm run demo`: starts an embedded Temporal dev server (Web UI on http://localhost:8233), a worker
 * and a short guided tour of each kind of job. `--once` runs the tour and exits (0 only if every
 * step succeeded); otherwise it keeps running until Ctrl-C.
 */
import { mkdirSync } from 'node:fs';
import { startDevServer } from '../scripts/dev-server.js';
import { createMediator, createWorker } from '../src/index.js';
import { CreateUser, GetUser, SendEmail, UserCreated } from './contracts.js';
import { handlers } from './handlers.js';

const once = process.argv.includes('--once');
const port = Number(process.env.TEMPORAL_PORT ?? 7233);
const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);

async function main(): Promise<number> {
  mkdirSync('.temporal', { recursive: true });
  console.log('Starting the Temporal dev server…');
  const server = await startDevServer({ port, ui: true, uiPort, dbFilename: '.temporal/demo.db' });
  console.log(`Temporal at ${server.address}; Web UI: http://localhost:${uiPort}`);
  const worker = await createWorker({
    connection: { address: server.address },
    handlers,
    queues: ['critical', 'emails', 'default'],
  });
  const running = worker.run();
  const mediator = await createMediator({ connection: { address: server.address }, handlers });
  let failures = 0;
  const step = async (name: string, fn: () => Promise<unknown>) => {
    try {
      console.log(`✔ ${name}:`, JSON.stringify(await fn()));
    } catch (err) {
      failures++;
      console.error(`✘ ${name}:`, (err as Error).message);
    }
  };
  await step('send (in process)', () => mediator.send(CreateUser, { email: 'ada@example.com', name: 'Ada' }));
  await step('enqueueAsync (durable, with result)', () =>
    mediator.enqueueAsync(CreateUser, { email: 'alan@example.com', name: 'Alan' }),
  );
  await step('enqueue, then job(id).result()', async () => {
    const job = await mediator.enqueue(
      SendEmail,
      { to: 'ada@example.com', subject: 'Hello' },
      { description: 'Welcome mail' },
    );
    return { jobId: job.id, result: await mediator.job(SendEmail, job.id).result() };
  });
  await step('schedule (2 s delay)', async () => {
    const job = await mediator.schedule(
      CreateUser,
      { email: 'grace@example.com', name: 'Grace' },
      { delay: '2s' },
    );
    return { jobId: job.id, statusBefore: await job.status(), result: await job.result() };
  });
  await step('enqueuePublish (durable fan-out)', async () =>
    (await mediator.enqueuePublish(UserCreated, { userId: 'u-1' })).result(),
  );
  await step('query in process', () => mediator.send(GetUser, { userId: 'u-1' }));
  console.log(
    `\nTour finished with ${failures} failure(s). Jobs are listed in the Web UI: http://localhost:${uiPort}`,
  );
  if (!once) {
    console.log('Press Ctrl-C to stop.');
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  }
  worker.shutdown();
  await running;
  await mediator.close();
  await server.teardown();
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
