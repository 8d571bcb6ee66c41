import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DuplicateRegistrationError,
  Handlers,
  InvalidOptionError,
  createHandlers,
  defineCommand,
  defineNotification,
} from '../../src/index.js';
import type { NotificationDefinition, RequestDefinition } from '../../src/index.js';
import { CreateUser, GetUser, UserCreated, thrownBy } from './helpers.js';

const createUser = () => ({ userId: 'u1' });
const noop = () => undefined;

describe('createHandlers', () => {
  it('returns a Handlers registry with its behaviors, copied', () => {
    const behaviors = [async (_ctx: unknown, next: () => Promise<unknown>) => next()];
    const handlers = createHandlers({ behaviors });
    behaviors.push(async (_ctx, next) => next());
    expect(handlers).toBeInstanceOf(Handlers);
    expect(handlers.behaviors).toHaveLength(1);
    expect(createHandlers().behaviors).toEqual([]);
  });

  it('registers a command or query handler with .handle, chainable', () => {
    const handlers = createHandlers();
    expect(handlers.handle(CreateUser, createUser)).toBe(handlers);
    handlers.handle(GetUser, () => ({ userId: 'u1', name: 'Ada' }));
    expect(handlers.get('CreateUser')?.handler).toBe(createUser);
    expect(handlers.get('CreateUser')?.definition).toBe(CreateUser);
    expect(handlers.get('Missing')).toBeUndefined();
  });

  it('registers named notification handlers with .on, in order', () => {
    const a = noop;
    const b = () => undefined;
    const handlers = createHandlers().on(UserCreated, 'welcome-email', a).on(UserCreated, 'audit', b);
    const entry = handlers.get('UserCreated');
    expect([...(entry?.notificationHandlers.keys() ?? [])]).toEqual(['welcome-email', 'audit']);
    expect(entry?.notificationHandlers.get('audit')).toBe(b);
  });

  it('lists names, with notification handlers as Request:handler', () => {
    const handlers = createHandlers()
      .handle(CreateUser, createUser)
      .on(UserCreated, 'welcome-email', noop)
      .on(UserCreated, 'audit', noop)
      .handle(GetUser, () => ({ userId: 'u', name: 'n' }));
    expect(handlers.names()).toEqual([
      'CreateUser',
      'UserCreated:welcome-email',
      'UserCreated:audit',
      'GetUser',
    ]);
    expect([...handlers.entries()].map((e) => e.definition.name)).toEqual([
      'CreateUser',
      'UserCreated',
      'GetUser',
    ]);
  });

  it('refuses a second handler for the same command, naming it', () => {
    const handlers = createHandlers().handle(CreateUser, createUser);
    const err = thrownBy(() => handlers.handle(CreateUser, createUser));
    expect(err).toBeInstanceOf(DuplicateRegistrationError);
    const dup = err as DuplicateRegistrationError;
    expect(dup.code).toBe('DUPLICATE_REGISTRATION');
    expect(dup.request).toBe('CreateUser');
    expect(dup.message).toContain("'CreateUser'");
    expect(dup.message).toContain('already has a handler');
    // The first registration is kept.
    expect(handlers.get('CreateUser')?.handler).toBe(createUser);
  });

  it('refuses two different definitions with the same name', () => {
    const Twin = defineCommand({ name: 'CreateUser', input: z.object({}), output: z.object({}) });
    const handlers = createHandlers().handle(CreateUser, createUser);
    const err = thrownBy(() => handlers.handle(Twin, () => ({})));
    expect(err).toBeInstanceOf(DuplicateRegistrationError);
    expect((err as DuplicateRegistrationError).message).toContain('two different definitions');
    expect((err as DuplicateRegistrationError).request).toBe('CreateUser');
  });

  it('refuses a notification whose name is taken by a command', () => {
    const Clash = defineNotification({ name: 'CreateUser', input: z.object({}) });
    const handlers = createHandlers().handle(CreateUser, createUser);
    const err = thrownBy(() => handlers.on(Clash, 'x', noop));
    expect(err).toBeInstanceOf(DuplicateRegistrationError);
    expect((err as Error).message).toMatch(/command and notification/);
  });

  it('refuses a duplicate notification handler name, naming both', () => {
    const handlers = createHandlers().on(UserCreated, 'audit', noop);
    const err = thrownBy(() => handlers.on(UserCreated, 'audit', noop));
    expect(err).toBeInstanceOf(DuplicateRegistrationError);
    expect((err as Error).message).toContain("'UserCreated'");
    expect((err as Error).message).toContain("'audit'");
  });

  it('allows the same handler name on different notifications', () => {
    const Other = defineNotification({ name: 'UserDeleted', input: z.object({}) });
    const handlers = createHandlers().on(UserCreated, 'audit', noop).on(Other, 'audit', noop);
    expect(handlers.names()).toEqual(['UserCreated:audit', 'UserDeleted:audit']);
  });

  it('refuses .handle with a notification', () => {
    const err = thrownBy(() =>
      createHandlers().handle(UserCreated as unknown as RequestDefinition, () => ({})),
    );
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe('handle');
    expect((err as Error).message).toContain("'UserCreated' is a notification");
    expect((err as Error).message).toContain('.on(');
  });

  it('refuses .on with a command', () => {
    const err = thrownBy(() =>
      createHandlers().on(CreateUser as unknown as NotificationDefinition, 'x', noop),
    );
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe('on');
    expect((err as Error).message).toContain("'CreateUser' is a command");
    expect((err as Error).message).toContain('.handle(');
  });

  it.each(['', 'default', '__internal', 'a b', 'x:y'])('refuses the notification handler name %j', (name) => {
    const err = thrownBy(() => createHandlers().on(UserCreated, name, noop));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as Error).message).toContain("Handler name of 'UserCreated'");
  });

  it('does not list a notification with no handlers', () => {
    expect(createHandlers().names()).toEqual([]);
  });
});
