/** Structured log attributes. */
export type LogAttributes = Record<string, unknown>;

/** The logger handlers and behaviors receive as `ctx.log`. */
export interface Logger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}

/** Log levels, least severe first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';
const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error', 'off'];

/**
 * A logger writing one line per call to the console, with attributes as JSON.
 *
 * @param level Minimum level. @default `TEMPORAL_MEDIATOR_LOG_LEVEL` or 'info'
 */
export function consoleLogger(
  level: LogLevel = (process.env.TEMPORAL_MEDIATOR_LOG_LEVEL as LogLevel | undefined) ?? 'info',
): Logger {
  const min = Math.max(0, LEVELS.indexOf(level));
  const write = (lvl: Exclude<LogLevel, 'off'>) => (message: string, attributes?: LogAttributes) => {
    if (LEVELS.indexOf(lvl) < min) return;
    const attrs = attributes && Object.keys(attributes).length ? ` ${safeJson(attributes)}` : '';
    const line = `${new Date().toISOString()} [${lvl.toUpperCase()}] ${message}${attrs}`;
    if (lvl === 'error') console.error(line);
    else if (lvl === 'warn') console.warn(line);
    else console.log(line);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger that adds fixed attributes (request, job id, attempt…) to every line. */
export function childLogger(parent: Logger, context: LogAttributes): Logger {
  const wrap =
    (fn: (m: string, a?: LogAttributes) => void) => (message: string, attributes?: LogAttributes) =>
      fn(message, attributes ? { ...context, ...attributes } : context);
  return {
    debug: wrap(parent.debug.bind(parent)),
    info: wrap(parent.info.bind(parent)),
    warn: wrap(parent.warn.bind(parent)),
    error: wrap(parent.error.bind(parent)),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) =>
      v instanceof Error ? { name: v.name, message: v.message } : v,
    );
  } catch {
    return '[unserialisable]';
  }
}
