import { DefaultLogger, Runtime } from '@temporalio/worker';

// Keep the SDK's own worker logs to warnings in tests; set TEMPORAL_SDK_LOG_LEVEL=INFO to see them.
try {
  Runtime.install({
    logger: new DefaultLogger((process.env.TEMPORAL_SDK_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN'),
  });
} catch {
  // Already installed in this process.
}
