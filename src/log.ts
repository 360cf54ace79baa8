// Structured logging for every role: pino writes JSON lines fast and keeps logging off the hot path.
import pino from 'pino';

export const logger = pino({ level: process.env.KUBETS_LOG_LEVEL ?? 'info' });
