/**
 * The sync server's HTTP app (Fastify): versioned JSON routes under `/v1/`, zod-validated, with a body
 * limit and per-token rate limits. Every authenticated query is scoped by the token's tenant: the
 * routes never take a tenant id from the request.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  SYNC_PROTOCOL_VERSION,
  describeIssues,
  enrollRequestSchema,
  popularQuerySchema,
  pushRequestSchema,
  recommendationsQuerySchema,
} from '../shared/sync/protocol';
import { fastPushRequest } from '../shared/sync/fast-check';
import { Authenticator, type Principal, type RateLimit, RateLimiter, bearerToken, hashSecret } from './auth';
import type { ServerDb } from './db';
import { SyncHttpError } from './errors';
import { popularBooks, recommendationsSince } from './pull';
import { storeEvents } from './push';
import { enrolDevice } from './tenants';

/** Options of {@link buildApp}. */
export interface AppOptions {
  db: ServerDb;
  /** Largest request body in bytes (default 1 MiB; 413 above). */
  bodyLimit?: number;
  /** Per-token limit of authenticated requests (default 600/min, bursts of 120). */
  rateLimit?: RateLimit;
  /** Per-address limit of enrolment attempts (default 30/min, bursts of 10). */
  enrolLimit?: RateLimit;
  /** Log requests (pino); off in tests. */
  logger?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Parses `value` or throws a 400 naming the field. */
function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new SyncHttpError('invalid_argument', `${where}: ${describeIssues(parsed.error.issues)}`, {
    field: first ? first.path.map(String).join('.') : '',
  });
}

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new SyncHttpError('unauthenticated', 'not authenticated');
  return request.principal;
}

/** Builds the app (not listening). */
export function buildApp(options: AppOptions): FastifyInstance {
  const { db } = options;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  const auth = new Authenticator(db);
  const limiter = new RateLimiter(options.rateLimit ?? { perMinute: 600, burst: 120 });
  const enrolLimiter = new RateLimiter(options.enrolLimit ?? { perMinute: 30, burst: 10 });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    if (error instanceof SyncHttpError) {
      if (error.code === 'rate_limited' && error.details?.retryAfter)
        void reply.header('retry-after', String(error.details.retryAfter));
      return reply.status(error.status).send(error.body());
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.status(413).send(
        new SyncHttpError(
          'payload_too_large',
          `request body over the limit of ${app.initialConfig.bodyLimit} bytes`,
          {
            limit: app.initialConfig.bodyLimit,
          },
        ).body(),
      );
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
      return reply.status(error.statusCode === 415 ? 415 : 400).send(
        new SyncHttpError('invalid_argument', `malformed request: ${error.message}`, {
          field: '(body)',
        }).body(),
      );
    app.log.error(error);
    return reply.status(500).send(new SyncHttpError('internal', 'the server failed to answer').body());
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(new SyncHttpError('not_found', `no route ${request.method} ${request.url}`).body()),
  );

  const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = bearerToken(request.headers.authorization);
    if (!token)
      throw new SyncHttpError('unauthenticated', 'missing or malformed Authorization: Bearer <device token>');
    const wait = limiter.take(hashSecret(token));
    if (wait > 0) {
      void reply.header('retry-after', String(wait));
      throw new SyncHttpError('rate_limited', `too many requests for this device; retry in ${wait} s`, {
        retryAfter: wait,
      });
    }
    const principal = await auth.resolve(token);
    if (!principal) throw new SyncHttpError('unauthenticated', 'unknown device token (enrol again)');
    request.principal = principal;
  };

  const health = async () => ({ ok: true as const, protocol: SYNC_PROTOCOL_VERSION });
  app.get('/health', health);
  app.get('/v1/health', health);

  app.post('/v1/enroll', async (request, reply) => {
    const wait = enrolLimiter.take(request.ip);
    if (wait > 0)
      throw new SyncHttpError('rate_limited', `too many enrolment attempts; retry in ${wait} s`, {
        retryAfter: wait,
      });
    const body = parse(enrollRequestSchema, request.body, 'POST /v1/enroll');
    const enrolled = await enrolDevice(db, body.code, body.deviceName);
    if (!enrolled) throw new SyncHttpError('forbidden', 'unknown enrolment code', { field: 'code' });
    return reply.status(201).send(enrolled);
  });

  app.post('/v1/interactions', { preHandler: authenticate }, async (request) => {
    const principal = principalOf(request);
    const body =
      fastPushRequest(request.body) ?? parse(pushRequestSchema, request.body, 'POST /v1/interactions');
    return storeEvents(db, principal.tenantId, principal.deviceId, body.events);
  });

  app.get('/v1/recommendations', { preHandler: authenticate }, async (request) => {
    const query = parse(recommendationsQuerySchema, request.query, 'GET /v1/recommendations');
    return recommendationsSince(db, principalOf(request).tenantId, query.since);
  });

  app.get('/v1/popular', { preHandler: authenticate }, async (request) => {
    const query = parse(popularQuerySchema, request.query, 'GET /v1/popular');
    return popularBooks(db, principalOf(request).tenantId, query.band, query.limit);
  });

  return app;
}
