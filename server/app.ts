/**
 * The sync server's HTTP app (Fastify): versioned JSON routes under `/v1/`, zod-validated, with a body
 * limit, request timeouts, a rate limit per device taken after authentication and a limit of failed
 * authentications per client address. Every authenticated query is scoped by the token's tenant and
 * device: the routes never take a tenant id from the request.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  SYNC_PROTOCOL_VERSION,
  dayInRange,
  enrollRequestSchema,
  MAX_EVENT_AGE_DAYS,
  popularQuerySchema,
  pseudonymSchema,
  pushRequestSchema,
  recommendationsQuerySchema,
  type EraseResponse,
  type RotateResponse,
  type SyncEvent,
} from '../shared/sync/protocol';
import { describeIssues } from '../shared/contract/issues';
import { fastPushRequest } from '../shared/sync/fast-check';
import {
  type Principal,
  type RateLimit,
  RateLimiter,
  bearerToken,
  hashSecret,
  newToken,
  resolveToken,
} from './auth';
import type { ServerDb } from './db';
import { erasePseudonym } from './erase';
import { SyncHttpError } from './errors';
import { popularBooks, recommendationsSince } from './pull';
import { DEFAULT_QUOTAS, type Quotas, storeEvents } from './push';
import { enrolDevice } from './tenants';

/** Options of {@link buildApp}. */
export interface AppOptions {
  db: ServerDb;
  /** The Parquet archive (erase rewrites its partitions). */
  archiveDir?: string;
  /** Largest request body in bytes (default 1 MiB; 413 above). */
  bodyLimit?: number;
  /** Per-device limit of authenticated requests (default 600/min, bursts of 120). */
  rateLimit?: RateLimit;
  /** Per-address limit of enrolment attempts (default 30/min, bursts of 10). */
  enrolLimit?: RateLimit;
  /** Per-address limit of failed authentications (default 60/min, bursts of 30). */
  failedAuthLimit?: RateLimit;
  /** Fastify's `trustProxy`: false (default), true, a hop count or addresses of trusted proxies. */
  trustProxy?: boolean | number | string | string[];
  /** Per-tenant quota defaults. */
  quotas?: Quotas;
  /** Longest time to receive a whole request (default 60 s). */
  requestTimeoutMs?: number;
  /** Request logging (on by default; no payloads, tokens or pseudonyms). `false` turns it off. */
  logger?: boolean | { stream: NodeJS.WritableStream; level?: string };
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
  throw new SyncHttpError(
    'invalid_argument',
    `${where}: ${describeIssues(parsed.error.issues, { root: '(body)' })}`,
    {
      field: first ? first.path.map(String).join('.') : '',
    },
  );
}

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new SyncHttpError('unauthenticated', 'not authenticated');
  return request.principal;
}

/** A URL for the log: pseudonyms (64 hex digits) never reach it. */
export function loggedUrl(url: string): string {
  return url.replace(/[0-9a-f]{64}/gi, ':pseudonym');
}

function loggerOption(logger: AppOptions['logger']): false | Record<string, unknown> {
  if (logger === false) return false;
  return {
    level: (typeof logger === 'object' && logger.level) || 'info',
    ...(typeof logger === 'object' ? { stream: logger.stream } : {}),
    // The default request serializer is replaced: no headers (tokens), no query pseudonyms.
    serializers: {
      req: (request: { method: string; url: string }) => ({
        method: request.method,
        url: loggedUrl(request.url),
      }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
      err: (error: Error & { code?: string }) => ({
        type: error.name,
        code: error.code,
        message: error.message,
      }),
    },
  };
}

function checkDays(events: readonly SyncEvent[]): void {
  const now = Date.now();
  const index = events.findIndex((event) => !dayInRange(event.day, now));
  if (index >= 0)
    throw new SyncHttpError(
      'invalid_argument',
      `POST /v1/interactions: events[${index}].day: must lie within the last ${MAX_EVENT_AGE_DAYS} days and not after tomorrow`,
      { field: `events.${index}.day` },
    );
}

/** Builds the app (not listening). */
export function buildApp(options: AppOptions): FastifyInstance {
  const { db } = options;
  const app = Fastify({
    logger: loggerOption(options.logger),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // A hop count is valid at run time (proxy-addr); Fastify's types leave it out.
    trustProxy: (options.trustProxy ?? false) as boolean | string | string[],
    requestTimeout: options.requestTimeoutMs ?? 60_000,
    connectionTimeout: Math.max(options.requestTimeoutMs ?? 60_000, 120_000),
  });
  const limiter = new RateLimiter(options.rateLimit ?? { perMinute: 600, burst: 120 });
  const enrolLimiter = new RateLimiter(options.enrolLimit ?? { perMinute: 30, burst: 10 });
  const failedLimiter = new RateLimiter(options.failedAuthLimit ?? { perMinute: 60, burst: 30 });
  const quotas = options.quotas ?? DEFAULT_QUOTAS;

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
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
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(new SyncHttpError('internal', 'the server failed to answer').body());
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(new SyncHttpError('not_found', `no route ${request.method} ${loggedUrl(request.url)}`).body()),
  );

  const refuse = (ip: string, message: string, details?: Record<string, unknown>): never => {
    failedLimiter.take(ip);
    throw new SyncHttpError('unauthenticated', message, details);
  };

  const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // Failed authentication is limited per address before the database is asked.
    const blocked = failedLimiter.peek(request.ip);
    if (blocked > 0)
      throw new SyncHttpError(
        'rate_limited',
        `too many failed authentications from this address; retry in ${blocked} s`,
        { retryAfter: blocked },
      );
    const token = bearerToken(request.headers.authorization);
    if (!token) return refuse(request.ip, 'missing or malformed Authorization: Bearer <device token>');
    const resolved = await resolveToken(db, token);
    if (resolved.kind === 'unknown') return refuse(request.ip, 'unknown device token (enrol again)');
    if (resolved.kind === 'revoked')
      return refuse(
        request.ip,
        `this device was revoked on ${resolved.revokedAt}; enrol again with a new code`,
        { revoked: true },
      );
    const wait = limiter.take(resolved.principal.deviceId);
    if (wait > 0) {
      void reply.header('retry-after', String(wait));
      throw new SyncHttpError('rate_limited', `too many requests for this device; retry in ${wait} s`, {
        retryAfter: wait,
      });
    }
    request.principal = resolved.principal;
  };

  const live = async () => ({ ok: true as const, protocol: SYNC_PROTOCOL_VERSION });
  app.get('/health', live);
  app.get('/v1/health', live);
  app.get('/health/live', live);
  app.get('/health/ready', async (_request, reply) => {
    try {
      await db.query('SELECT 1');
      return { ok: true as const, protocol: SYNC_PROTOCOL_VERSION, database: 'up' };
    } catch (error) {
      return reply
        .status(503)
        .send(
          new SyncHttpError(
            'unavailable',
            `the database does not answer: ${(error as Error).message}`,
          ).body(),
        );
    }
  });

  app.post('/v1/enroll', async (request, reply) => {
    const wait = enrolLimiter.take(request.ip);
    if (wait > 0)
      throw new SyncHttpError('rate_limited', `too many enrolment attempts; retry in ${wait} s`, {
        retryAfter: wait,
      });
    const body = parse(enrollRequestSchema, request.body, 'POST /v1/enroll');
    const enrolled = await enrolDevice(db, body.code, body.deviceName, body.previousToken);
    return reply.status(201).send(enrolled);
  });

  app.post('/v1/interactions', { preHandler: authenticate }, async (request) => {
    const principal = principalOf(request);
    const body =
      fastPushRequest(request.body) ?? parse(pushRequestSchema, request.body, 'POST /v1/interactions');
    checkDays(body.events);
    return storeEvents(db, principal.tenantId, principal.deviceId, body.events, quotas);
  });

  app.get('/v1/recommendations', { preHandler: authenticate }, async (request) => {
    const query = parse(recommendationsQuerySchema, request.query, 'GET /v1/recommendations');
    const principal = principalOf(request);
    return recommendationsSince(db, principal.tenantId, principal.deviceId, query.since);
  });

  app.get('/v1/popular', { preHandler: authenticate }, async (request) => {
    const query = parse(popularQuerySchema, request.query, 'GET /v1/popular');
    return popularBooks(db, principalOf(request).tenantId, query.band, query.limit);
  });

  // Client-side rotation: the new token replaces the old one at its first use, so a lost answer
  // never locks the device out.
  app.post('/v1/devices/rotate', { preHandler: authenticate }, async (request) => {
    const deviceToken = newToken();
    await db.query('UPDATE devices SET next_token_hash = $2 WHERE id = $1', [
      principalOf(request).deviceId,
      hashSecret(deviceToken),
    ]);
    return { deviceToken } satisfies RotateResponse;
  });

  app.delete('/v1/readers/:pseudonym', { preHandler: authenticate }, async (request) => {
    const principal = principalOf(request);
    const pseudonym = parse(
      pseudonymSchema,
      (request.params as { pseudonym?: string }).pseudonym,
      'DELETE /v1/readers/:pseudonym',
    );
    const owner = await db.query<{ device_id: string }>(
      'SELECT device_id::text FROM reader_devices WHERE tenant_id = $1 AND reader = $2',
      [principal.tenantId, pseudonym],
    );
    const holder = owner.rows[0]?.device_id;
    if (holder !== undefined && holder !== principal.deviceId)
      throw new SyncHttpError(
        'forbidden',
        'DELETE /v1/readers/:pseudonym: this pseudonym belongs to another device',
        {
          field: 'pseudonym',
        },
      );
    await erasePseudonym(db, options.archiveDir ?? null, pseudonym, principal.tenantId);
    return { pseudonym, erased: true as const } satisfies EraseResponse;
  });

  return app;
}
