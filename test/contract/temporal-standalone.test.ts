import { describe, it } from 'vitest';
import { onCluster } from '../cluster/control.js';
import { testMediator, testWorker, uniqueQueue } from '../integration/helpers.js';
import { realSleep } from './backend.js';
import { contractSuite } from './suite.js';

// The standalone lane: the same suite with every command and query run as a Standalone Activity.
// Notifications and the rest that cannot run standalone fall back to the workflow lane
// (`laneFallback: 'workflow'`). Standalone activities need Temporal >= 1.32 with
// `activity.enableStandalone`: the cluster target (`npm run test:cluster`), not the 1.29 dev server.
if (!onCluster) {
  describe('contract: temporal standalone lane', () => {
    it.skip('needs the 1.32 cluster (npm run test:cluster): the dev server has no standalone activities', () => {});
  });
} else {
  contractSuite({
    name: 'temporal standalone lane',
    lane: 'standalone',
    async start(handlers, options = {}) {
      const queue = uniqueQueue('contract-sa');
      const worker = await testWorker(handlers, { queues: [queue] });
      const running = worker.run();
      const mediator = await testMediator({
        defaults: { queue, lane: 'standalone', laneFallback: 'workflow' },
        ...options,
      });
      return {
        mediator,
        queue,
        now: () => Date.now(),
        settle: (promise) => promise,
        elapse: realSleep,
        async close() {
          await mediator.close();
          worker.shutdown();
          await running;
        },
      };
    },
  });
}
