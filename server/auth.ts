/**
 * Device authentication and rate limits. Tokens are random 32-byte strings shown once at enrolment;
 * the server keeps only their SHA-256, so a leaked database holds no usable token.
 *
 * There is no per-process cache of tokens: each request looks its device up by the token's hash (one
 * primary-key probe), so a revocation or a rotation is effective at once on every instance sharing the
 * database.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './db';

/** SHA-256 hex of a secret (tokens, enrolment codes). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new device token. */
export function newToken(): string {
  return `lds_${randomBytes(32).toString('base64url')}`;
}

/** Who a request is. */
export interface Principal {
  tenantId: string;
  deviceId: string;
}

/** What a token resolves to. */
export type Resolved =
  { kind: 'device'; principal: Principal } | { kind: 'revoked'; revokedAt: string } | { kind: 'unknown' };

/** The bearer token of an `Authorization` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S{10,200})$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** How often `last_seen_at` is written (not on every request: it would cost an UPDATE each). */
const SEEN_EVERY = "interval '1 minute'";

/**
 * Resolves `token`. The first use of a rotated token promotes it (the old one stops working then);
 * `last_seen_at` is refreshed at most once a minute.
 */
export async function resolveToken(db: Queryable, token: string): Promise<Resolved> {
  const hash = hashSecret(token);
  const rows = await db.query<{
    id: string;
    tenant_id: string;
    revoked_at: Date | null;
    via_next: boolean;
    stale: boolean;
  }>(
    `SELECT id::text, tenant_id::text, revoked_at, next_token_hash IS NOT DISTINCT FROM $1 AS via_next,
            last_seen_at IS NULL OR last_seen_at < now() - ${SEEN_EVERY} AS stale
       FROM devices WHERE token_hash = $1 OR next_token_hash = $1`,
    [hash],
  );
  const row = rows.rows[0];
  if (!row) return { kind: 'unknown' };
  if (row.revoked_at) return { kind: 'revoked', revokedAt: new Date(row.revoked_at).toISOString() };
  if (row.via_next)
    await db.query(
      `UPDATE devices SET token_hash = next_token_hash, next_token_hash = NULL, last_seen_at = now()
        WHERE id = $1 AND next_token_hash = $2`,
      [row.id, hash],
    );
  else if (row.stale) await db.query('UPDATE devices SET last_seen_at = now() WHERE id = $1', [row.id]);
  return { kind: 'device', principal: { tenantId: row.tenant_id, deviceId: row.id } };
}

/** Token-bucket limits: `burst` requests at once, refilled at `perMinute`. */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

/**
 * Per-key token buckets (keys: device ids, or client addresses for enrolment and failed
 * authentication), in this process's memory: with N instances a key gets at most N times the limit.
 * The store never resets wholesale: past `maxKeys` it drops buckets that are full again (the same as
 * a fresh bucket), then the least recently used ones that are not being limited.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly limit: RateLimit,
    private readonly maxKeys = 50_000,
  ) {}

  private current(key: string, now: number): { tokens: number; at: number } {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    const refill = (Math.max(0, now - bucket.at) / 60_000) * this.limit.perMinute;
    return { tokens: Math.min(this.limit.burst, bucket.tokens + refill), at: now };
  }

  private waitFor(tokens: number): number {
    return Math.max(1, Math.ceil(((1 - tokens) / this.limit.perMinute) * 60));
  }

  /** Seconds to wait before `key` may make a request (0: it may), without taking from its bucket. */
  peek(key: string, now = Date.now()): number {
    const bucket = this.current(key, now);
    return bucket.tokens < 1 ? this.waitFor(bucket.tokens) : 0;
  }

  /** Takes one request from `key`'s bucket; returns the seconds to wait when it is empty, else 0. */
  take(key: string, now = Date.now()): number {
    const bucket = this.current(key, now);
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.evict(now);
    if (bucket.tokens < 1) return this.waitFor(bucket.tokens);
    bucket.tokens -= 1;
    return 0;
  }

  /** How many keys are remembered. */
  get size(): number {
    return this.buckets.size;
  }

  private evict(now: number): void {
    // Down to 90 % in one go (amortised O(1) per request): first the buckets that are full again
    // (forgetting them changes nothing), then the least recently used that still have a request
    // left; a key that is being limited goes last.
    const target = Math.floor(this.maxKeys * 0.9);
    const passes: ((bucket: { tokens: number; at: number }, key: string) => boolean)[] = [
      (_bucket, key) => this.current(key, now).tokens >= this.limit.burst,
      (bucket) => bucket.tokens >= 1,
      () => true,
    ];
    for (const pass of passes)
      for (const [key, bucket] of this.buckets) {
        if (this.buckets.size <= target) return;
        if (pass(bucket, key)) this.buckets.delete(key);
      }
  }
}
