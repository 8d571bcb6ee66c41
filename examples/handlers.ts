import { createHandlers, loggingBehavior } from '../src/index.js';
import { CreateUser, GetUser, SendEmail, UserCreated } from './contracts.js';

const users = new Map<string, { userId: string; email: string }>();

/** The demo's handlers: an in-memory user store, a flaky mailer, two notification handlers. */
export const handlers = createHandlers({ behaviors: [loggingBehavior()] })
  .handle(CreateUser, (input, ctx) => {
    const userId = `u-${users.size + 1}`;
    users.set(userId, { userId, email: input.email });
    ctx.log.info('user created', { userId });
    return { userId };
  })
  .handle(SendEmail, (input, ctx) => {
    if ((ctx.attempt ?? 1) < 2) throw new Error('SMTP server busy (the demo fails the first attempt)');
    return { messageId: `m-${Date.now()}`, attempts: ctx.attempt ?? 1 };
  })
  .handle(GetUser, (input) => users.get(input.userId) ?? null)
  .on(UserCreated, 'welcome-email', (event, ctx) =>
    ctx.log.info('welcome email queued', { userId: event.userId }),
  )
  .on(UserCreated, 'audit', (event, ctx) => ctx.log.info('audit entry written', { userId: event.userId }));
