/**
 * Device authentication and per-token rate limits. Tokens are random 32-byte strings shown once at
 * enrolment; the server keeps only their SHA-256, so a leaked database holds no usable token.
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

/** The bearer token of an `Authorization` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S{10,200})$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/**
 * Resolves tokens to principals, remembering answers for `ttlMs` (one index lookup saved per push; a
 * revoked device is refused within that time). Stateless across instances: each keeps its own.
 */
export class Authenticator {
  private readonly known = new Map<string, { principal: Principal; until: number }>();
  constructor(
    private readonly db: Queryable,
    private readonly ttlMs = 30_000,
  ) {}

  /** The principal of `token`, or null when no device has it. */
  async resolve(token: string): Promise<Principal | null> {
    const hash = hashSecret(token);
    const now = Date.now();
    const hit = this.known.get(hash);
    if (hit && hit.until > now) return hit.principal;
    const rows = await this.db.query<{ id: string; tenant_id: string }>(
      'UPDATE devices SET last_seen_at = now() WHERE token_hash = $1 RETURNING id::text, tenant_id::text',
      [hash],
    );
    const row = rows.rows[0];
    if (!row) {
      this.known.delete(hash);
      return null;
    }
    const principal = { tenantId: row.tenant_id, deviceId: row.id };
    if (this.known.size > 10_000) this.known.clear();
    this.known.set(hash, { principal, until: now + this.ttlMs });
    return principal;
  }
}

/** Token-bucket limits: `burst` requests at once, refilled at `perMinute`. */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

/** Per-key token buckets (keys: token hashes, or client addresses for enrolment). */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly limit: RateLimit) {}

  /** Takes one request from `key`'s bucket; returns the seconds to wait when it is empty, else 0. */
  take(key: string, now = Date.now()): number {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    const refill = ((now - bucket.at) / 60_000) * this.limit.perMinute;
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + refill);
    bucket.at = now;
    if (this.buckets.size > 50_000) this.buckets.clear();
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return Math.ceil(((1 - bucket.tokens) / this.limit.perMinute) * 60);
    bucket.tokens -= 1;
    return 0;
  }
}
