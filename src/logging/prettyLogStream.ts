import type { DestinationStream } from 'pino';
import { wantsColors } from '../config/index.js';

/** ANSI styles, or none when colours are off. */
type Paint = (code: number, text: string) => string;
const ansi: Paint = (code, text) => `\u001b[${code}m${text}\u001b[0m`;
const plain: Paint = (_code, text) => text;

const levelStyle: Readonly<Record<string, number>> = {
  trace: 90,
  debug: 34,
  info: 32,
  warn: 33,
  error: 31,
  fatal: 35,
};

/** Fields every line has in its own place, or that only add noise on a developer's screen. */
const placed = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname', 'span_id', 'err', 'trace_id']);

const show = (value: unknown): string => {
  if (typeof value === 'string') return /\s/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
};

const clock = (time: unknown): string => {
  const date = new Date(typeof time === 'number' || typeof time === 'string' ? time : Date.now());
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString().slice(11, 23);
};

type LoggedError = { type?: string; message?: string; stack?: string };

/**
 * One pino JSON line as one readable line: `time LEVEL name message key=value … trace=…`. An
 * error adds `type: message` to the line and, at error and fatal, its stack indented below (the
 * one thing a developer needs that does not fit on a line). A line that is not JSON passes through.
 */
export const formatLogLine = (line: string, colors: boolean): string => {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const paint = colors ? ansi : plain;
  const level = String(record.level ?? 'info');
  const fields = Object.entries(record)
    .filter(([key]) => !placed.has(key))
    .map(([key, value]) => `${paint(2, `${key}=`)}${show(value)}`);
  const err = record.err as LoggedError | undefined;
  const parts = [
    paint(2, clock(record.time)),
    paint(levelStyle[level] ?? 0, level.toUpperCase().padEnd(5)),
    ...(record.name ? [paint(36, String(record.name))] : []),
    String(record.msg ?? ''),
    ...(err ? [paint(31, `${err.type ?? 'Error'}: ${err.message ?? ''}`)] : []),
    ...fields,
    ...(record.trace_id ? [paint(2, `trace=${record.trace_id}`)] : []),
  ];
  const stack =
    err?.stack && (level === 'error' || level === 'fatal')
      ? `\n${paint(2, err.stack.split('\n').slice(1).join('\n'))}`
      : '';
  return `${parts.filter((part) => part !== '').join(' ')}${stack}\n`;
};

/**
 * A pino destination that writes each line through `formatLogLine`: the log format of `chronicle
 * dev` (LOG_FORMAT=pretty). Production keeps JSON.
 */
export const createPrettyLogStream = (
  out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
  colors: boolean = wantsColors(out),
): DestinationStream => ({
  write: (line: string) => {
    out.write(formatLogLine(line, colors));
  },
});
