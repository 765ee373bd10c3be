/**
 * The engine's log sink. Hook errors, skipped ticks and dead-letter callbacks that throw are
 * reported here rather than changing a run's result.
 */
export interface Logger {
  debug(message: string, meta?: Readonly<Record<string, unknown>>): void;
  info(message: string, meta?: Readonly<Record<string, unknown>>): void;
  warn(message: string, meta?: Readonly<Record<string, unknown>>): void;
  error(message: string, meta?: Readonly<Record<string, unknown>>): void;
}

/**
 * Writes warnings and errors to the console; debug and info are dropped.
 *
 * @example
 * createLocalRuntime(config, { logger: consoleLogger });
 */
export const consoleLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (message, meta) => console.warn(`[om-scheduler] ${message}`, meta ?? ''),
  error: (message, meta) => console.error(`[om-scheduler] ${message}`, meta ?? ''),
};

/**
 * Drops everything (tests that assert on telemetry instead).
 *
 * @example
 * createLocalRuntime(config, { logger: silentLogger });
 */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
