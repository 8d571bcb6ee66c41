/**
 * The demo's guided tour: one HTTP call (or a few) per kind of job against the running example
 * API, printing each result and job id.
 */

import type {
  AcceptedJob,
  CascadeResponse,
  JobListBody,
  RetriedJobBody,
  JobResultBody,
  JobStatusBody,
  MixedWorkloadResponse,
  QueueStatsResponse,
  RecurringBody,
  ScheduledJob,
  StressTestResponse,
  UserWithResult,
} from './api/schemas.js';
import type { ErrorBody } from './api/errors.js';

/** An HTTP answer; `T` is what the API documents for the expected status (not checked here). */
interface Answer<T> {
  status: number;
  body: T;
}

/** One step of the tour: returns what to print, or throws. */
interface Step {
  title: string;
  run(api: Api): Promise<string[]>;
}

/** The outcome of the tour. */
export interface TourResult {
  passed: number;
  failed: number;
  /** Every job id the tour printed. */
  jobIds: string[];
}

type Api = <T>(method: string, path: string, body?: unknown) => Promise<Answer<T>>;

function client(baseUrl: string): Api {
  return async <T>(method: string, path: string, body?: unknown): Promise<Answer<T>> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

function expectStatus<T>(answer: Answer<T>, ...expected: number[]): Answer<T> {
  if (!expected.includes(answer.status)) {
    throw new Error(
      `expected HTTP ${expected.join(' or ')}, got ${answer.status}: ${JSON.stringify(answer.body)}`,
    );
  }
  return answer;
}

const show = (value: unknown) => JSON.stringify(value);
/** The job's result: `wait=true` holds each request a few seconds (202 while it still runs). */
async function waitResult(api: Api, jobId: string): Promise<unknown> {
  const path = `/jobs/${encodeURIComponent(jobId)}/result?wait=true`;
  for (let i = 0; i < 15; i++) {
    const answer = expectStatus(await api<JobResultBody>('GET', path), 200, 202);
    if (answer.status === 200) return answer.body.result;
  }
  throw new Error(`job ${jobId} did not finish within 2 minutes`);
}

/** The job id of a recurring job's most recent run, once the schedule has started one. */
async function firstRun(api: Api, id: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const { recentRuns } = expectStatus(await api<RecurringBody>('GET', `/recurring/${id}`), 200).body;
    const last = (recentRuns as { jobId: string }[]).at(-1);
    if (last) return last.jobId;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`recurring job ${id} started no run within 10 s`);
}

const steps: Step[] = [
  {
    title: 'Create a user, fire-and-forget (enqueue)',
    async run(api) {
      const { jobId } = expectStatus(
        await api<AcceptedJob>('POST', '/users', { email: 'ada@example.com', name: 'Ada' }),
        202,
      ).body;
      return [`jobId=${jobId}`, `result: ${show(await waitResult(api, jobId))}`];
    },
  },
  {
    title: 'Create a user and wait for its result (enqueueAsync + enqueuePublish)',
    async run(api) {
      const answer = expectStatus(
        await api<UserWithResult>('POST', '/users/with-result', { email: 'alan@example.com', name: 'Alan' }),
        201,
      );
      const { user, jobId, welcomeJobId } = answer.body;
      return [
        `jobId=${jobId}`,
        `result: ${show(user)}`,
        `jobId=${welcomeJobId} (UserCreated fan-out): ${show(await waitResult(api, welcomeJobId))}`,
      ];
    },
  },
  {
    title: 'Send an email: the first attempt fails, the retry succeeds',
    async run(api) {
      const { jobId } = expectStatus(
        await api<AcceptedJob>('POST', '/emails', { to: 'ada@example.com', subject: 'Hello' }),
        202,
      ).body;
      return [`jobId=${jobId}`, `result: ${show(await waitResult(api, jobId))}`];
    },
  },
  {
    title: 'A job fails: find it among the failed jobs and retry it (jobs, job.retry)',
    async run(api) {
      // The example mailer bounces the first message to an unreachable.example address for good.
      const { jobId } = expectStatus(
        await api<AcceptedJob>('POST', '/emails', { to: 'ops@unreachable.example', subject: 'Bounce' }),
        202,
      ).body;
      const path = `/jobs/${encodeURIComponent(jobId)}`;
      let failure = await api<ErrorBody>('GET', `${path}/result?wait=true`);
      for (let i = 0; i < 15 && failure.status === 202; i++)
        failure = await api<ErrorBody>('GET', `${path}/result?wait=true`);
      const { error } = expectStatus(failure, 502).body;
      let listed: JobListBody | undefined;
      for (let i = 0; i < 50 && !listed?.jobs.some((j) => j.id === jobId); i++) {
        if (i) await new Promise((resolve) => setTimeout(resolve, 200));
        listed = expectStatus(
          await api<JobListBody>('GET', '/jobs?request=SendEmail&status=failed'),
          200,
        ).body;
      }
      if (!listed?.jobs.some((j) => j.id === jobId)) throw new Error(`job ${jobId} is not listed as failed`);
      const retry = expectStatus(await api<RetriedJobBody>('POST', `${path}/retry`), 202).body;
      return [
        `jobId=${jobId} failed: ${error.code}: ${error.message}`,
        `GET /jobs?request=SendEmail&status=failed lists it (${listed.count} failed SendEmail job(s))`,
        `jobId=${retry.jobId} (POST ${path}/retry): ${show(await waitResult(api, retry.jobId))}`,
      ];
    },
  },
  {
    title: 'Generate a report (long-running; one console line per page in the worker log)',
    async run(api) {
      const body = { title: 'Quarterly numbers', pages: 3, msPerPage: 400 };
      const { jobId } = expectStatus(await api<AcceptedJob>('POST', '/reports', body), 202).body;
      const status = expectStatus(await api<JobStatusBody>('GET', `/jobs/${jobId}`), 200).body.status;
      return [
        `jobId=${jobId}`,
        `status while running: ${status}`,
        `result: ${show(await waitResult(api, jobId))}`,
      ];
    },
  },
  {
    title: 'Schedule a reminder 24 h from now (schedule with a delay)',
    async run(api) {
      const { jobId, runAt } = expectStatus(
        await api<ScheduledJob>('POST', '/reminders', { userId: 'u-1', message: 'Renew' }),
        202,
      ).body;
      const { status } = expectStatus(await api<JobStatusBody>('GET', `/jobs/${jobId}`), 200).body;
      if (status !== 'scheduled') throw new Error(`expected status 'scheduled', got '${status}'`);
      return [`jobId=${jobId}`, `status: ${status}, runs at ${runAt}`];
    },
  },
  {
    title: 'Set up the daily cleanup (cron 0 2 * * *, UTC) and run it once now',
    async run(api) {
      const body = { cron: '0 2 * * *', timezone: 'UTC', olderThanDays: 30 };
      const { id, schedule, nextRunTimes } = expectStatus(
        await api<RecurringBody>('PUT', '/recurring/daily-cleanup', body),
        200,
      ).body;
      expectStatus(await api('POST', `/recurring/${id}/trigger`), 202);
      const jobId = await firstRun(api, id);
      return [
        `recurring id=${id}: ${schedule}, next run ${nextRunTimes[0]}`,
        `jobId=${jobId} (triggered run): ${show(await waitResult(api, jobId))}`,
      ];
    },
  },
  {
    title: 'Mixed workload: one job of each kind in parallel, with return values',
    async run(api) {
      const { results, totalMs } = expectStatus(
        await api<MixedWorkloadResponse>('POST', '/distributed/mixed-workload'),
        200,
      ).body;
      const lines = (results as { request: string; jobId: string; result: unknown }[]).map(
        (r) => `jobId=${r.jobId}: ${show(r.result)}`,
      );
      return [...lines, `total ${totalMs} ms`];
    },
  },
  {
    title: 'Stress test: 25 jobs across the critical, emails, reports, cleanup and default queues',
    async run(api) {
      const answer = expectStatus(
        await api<StressTestResponse>('POST', '/distributed/stress-test', {
          jobCount: 25,
          workMs: 50,
          wait: true,
        }),
        200,
      );
      const { jobIds, byQueue, byWorker, totalMs } = answer.body;
      return [
        `jobId=${jobIds[0]} … (${jobIds.length} jobs)`,
        `by queue: ${show(byQueue)}`,
        `by worker: ${show(byWorker)} in ${totalMs} ms`,
      ];
    },
  },
  {
    title: 'Worker and queue stats',
    async run(api) {
      const { queues } = expectStatus(await api<QueueStatsResponse>('GET', '/distributed/stats'), 200).body;
      return (queues as { name: string; workers: string[]; activityBacklog: number }[]).map(
        (q) => `${q.name}: workers ${show(q.workers)}, backlog ${q.activityBacklog}`,
      );
    },
  },
  {
    title: 'Scheduled cascade: 3 jobs, 30 s apart',
    async run(api) {
      const { jobs } = expectStatus(
        await api<CascadeResponse>('POST', '/distributed/scheduled-cascade', { count: 3 }),
        202,
      ).body;
      return (jobs as { jobId: string; runAt: string }[]).map((j) => `jobId=${j.jobId} runs at ${j.runAt}`);
    },
  },
  {
    title: 'Invalid input is rejected before anything starts (HTTP 400 with the issues)',
    async run(api) {
      const { error } = expectStatus(
        await api<ErrorBody>('POST', '/users', { email: 'not-an-email', name: '' }),
        400,
      ).body;
      return [`${error.code}: ${show(error.issues)}`];
    },
  },
];

/** Runs the tour against the API at `baseUrl`, printing as it goes. */
export async function runTour(
  baseUrl: string,
  log: (line: string) => void = console.log,
): Promise<TourResult> {
  const api = client(baseUrl);
  const result: TourResult = { passed: 0, failed: 0, jobIds: [] };
  for (const [i, step] of steps.entries()) {
    try {
      const lines = await step.run(api);
      result.passed++;
      log(`✔ ${i + 1}. ${step.title}`);
      for (const line of lines) {
        log(`     ${line}`);
        for (const m of line.matchAll(/jobId=(\S+)/g)) result.jobIds.push(m[1]!);
      }
    } catch (err) {
      result.failed++;
      log(`✘ ${i + 1}. ${step.title}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return result;
}
