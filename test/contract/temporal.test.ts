import { testMediator, testWorker, uniqueQueue } from '../integration/helpers.js';
import { realSleep } from './backend.js';
import { contractSuite } from './suite.js';

// The Temporal path: a real worker on the dev server (started by the global setup), a unique queue per environment.
contractSuite({
  name: 'temporal',
  async start(handlers, options = {}) {
    const queue = uniqueQueue('contract');
    const worker = await testWorker(handlers, { queues: [queue] });
    const running = worker.run();
    const mediator = await testMediator({ defaults: { queue }, ...options });
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
