// Structured JSON logs (pino): one line an event, with the ids that let one email be followed across processes.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.LOG_LEVEL ?? 'info', base: { service: name } });
}
