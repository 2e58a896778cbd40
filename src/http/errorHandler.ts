import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RefusalLog } from '../logging/index.js';
import { type ErrorBody, isHttpError } from './httpError.js';

type Answer = {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers?: Readonly<Record<string, string>>;
};

/** Fastify's own request errors, by their code. */
const fastifyErrors: Readonly<Record<string, { status: number; code: string; message?: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_REQUEST' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_JSON' },
  FST_ERR_BAD_URL: { status: 400, code: 'INVALID_REQUEST' },
  // fastify's own message repeats the whole path back
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'URI_TOO_LONG',
    message: 'a path segment is longer than any id this API serves',
  },
};

/** Maps any error to a status and `{ code, message }`; unexpected ones say nothing of their insides. */
export const answerFor = (error: unknown): Answer => {
  if (isHttpError(error)) {
    return {
      status: error.statusCode,
      body: error.body(),
      ...(error.headers ? { headers: error.headers } : {}),
    };
  }
  const { code, statusCode, message } = error as { code?: string; statusCode?: number; message?: string };
  const known = code && Object.hasOwn(fastifyErrors, code) ? fastifyErrors[code] : undefined;
  if (known) {
    return {
      status: known.status,
      body: { code: known.code, message: known.message ?? message ?? known.code },
    };
  }
  // JSON.parse errors from the body parser carry a 400 and a SyntaxError name
  if (statusCode === 400 && error instanceof SyntaxError) {
    return {
      status: 400,
      body: { code: 'MALFORMED_JSON', message: `the body is not valid JSON: ${message}` },
    };
  }
  if (statusCode && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, body: { code: 'INVALID_REQUEST', message: message ?? 'invalid request' } };
  }
  return {
    status: 500,
    body: { code: 'INTERNAL', message: 'internal error; the server log has the details' },
  };
};

/**
 * Answers `error` as `{ code, message }`. Unexpected ones are logged with their stack; a refusal
 * the API answers on purpose (503 TOO_MANY_STREAMS, 500 COMMAND_FAILED: an HttpError, whose stack
 * is only where it was thrown) goes to `refusals`, one line per code per window, since a caller
 * can provoke one per request.
 */
export const sendError = (error: unknown, reply: FastifyReply, refusals: RefusalLog): void => {
  const answer = answerFor(error);
  if (answer.status >= 500 && isHttpError(error))
    refusals.refused(
      answer.body.code,
      { status: answer.status, route: reply.request.routeOptions.url ?? 'unmatched' },
      `refused: ${answer.body.message}`,
    );
  else if (answer.status >= 500) reply.log.error({ err: error }, 'request failed');
  // refused before its body was read (401, 413…): close rather than wait for the rest of it
  if (!reply.request.raw.complete) reply.header('connection', 'close');
  reply
    .code(answer.status)
    .headers(answer.headers ?? {})
    .type('application/json; charset=utf-8')
    .send(answer.body);
};

/**
 * Every error, and every unknown route, answers JSON `{ code, message }`; never a stack trace. The
 * router's own errors (a malformed URL, a path segment past the limit) come through fastify's
 * `frameworkErrors` option to `sendError`, and Node's connection errors through `clientErrorHandler`.
 */
export const registerErrorHandling = (app: FastifyInstance, refusals: RefusalLog): void => {
  app.setErrorHandler((error, _request, reply) => sendError(error, reply, refusals));
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .type('application/json; charset=utf-8')
      .send({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
};
