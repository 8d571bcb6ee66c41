import type { InMemoryJob } from './job.js';

/** Where handles find jobs by id. */
export interface JobLookup {
  get(id: string): InMemoryJob | undefined;
  delete(job: InMemoryJob): void;
  /** Starts a closed job again under a new id, with the same envelope (`retry()`). */
  relaunch(job: InMemoryJob, id: string, queue?: string): InMemoryJob;
}
