/**
 * The administrator's operations, one function per `npm run server -- …` subcommand. The CLI runs
 * them in its own process (PostgreSQL, or embedded PGlite when no server holds it) or sends them to
 * the running server's loopback admin endpoint; both paths validate the same way here, and each
 * operation is one statement or one transaction, so nothing is half-written.
 */
import { hashSecret } from './auth';
import { erasePseudonym } from './erase';
import type { ServerDb } from './db';
import type { NightlyReport } from './nightly';
import { addCode, createTenant, listTenants, normaliseCode } from './tenants';

/** An admin command's expected failure (bad input, unknown id). */
export class AdminError extends Error {
  constructor(
    readonly code: 'invalid_argument' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

/** What admin operations run against. */
export interface AdminContext {
  db: ServerDb;
  archiveDir: string;
  /** Runs the nightly job (in the server: a worker thread under the advisory lock). */
  nightly: () => Promise<NightlyReport>;
}

/** The subcommands. */
export const ADMIN_COMMANDS = [
  'tenant add',
  'tenant list',
  'codes add',
  'codes list',
  'codes revoke',
  'devices list',
  'devices revoke',
  'erase',
  'nightly',
] as const;

/** One subcommand's name. */
export type AdminCommand = (typeof ADMIN_COMMANDS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `30m`, `12h`, `7d`, `2w` in ms (at most a year). */
export function parseDuration(text: string, where = '--expires'): number {
  const match = /^(\d{1,4})([mhdw])$/.exec(text.trim());
  const ms = match ? Number(match[1]) * (UNITS[match[2] as string] ?? 0) : 0;
  if (!match || ms <= 0 || ms > 366 * 86_400_000)
    throw new AdminError(
      'invalid_argument',
      `${where}: '${text}' is not a duration like 30m, 12h, 7d or 2w (up to a year)`,
    );
  return ms;
}

function text(args: Record<string, unknown>, key: string, where: string): string {
  const value = args[key];
  if (typeof value !== 'string' || value.trim() === '')
    throw new AdminError('invalid_argument', `${where}: missing`);
  return value.trim();
}

function uuid(args: Record<string, unknown>, key: string, where: string): string {
  const value = text(args, key, where);
  if (!UUID.test(value))
    throw new AdminError('invalid_argument', `${where}: '${value}' is not an id (a uuid)`);
  return value.toLowerCase();
}

function uses(args: Record<string, unknown>, fallback: number): number {
  const value = args.uses === undefined ? fallback : Number(args.uses);
  if (!Number.isInteger(value) || value < 1 || value > 100_000)
    throw new AdminError(
      'invalid_argument',
      `--uses: '${String(args.uses)}' must be a whole number from 1 to 100000`,
    );
  return value;
}

async function knownTenant(db: ServerDb, tenantId: string): Promise<void> {
  const rows = await db.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
  if (rows.rows.length === 0) throw new AdminError('not_found', `--tenant: no tenant ${tenantId}`);
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** Runs one admin command; returns what `--json` prints. */
export async function runAdmin(
  context: AdminContext,
  command: AdminCommand,
  args: Record<string, unknown>,
): Promise<unknown> {
  const { db } = context;
  switch (command) {
    case 'tenant add': {
      const name = text(args, 'name', 'tenant add NAME');
      if (name.length > 120)
        throw new AdminError('invalid_argument', 'tenant add NAME: at most 120 characters');
      const limits = { uses: uses(args, 30), expiresInMs: parseDuration(String(args.expires ?? '7d')) };
      const created = await createTenant(db, name, limits);
      return {
        id: created.tenantId,
        name: created.name,
        code: created.code,
        uses: created.uses,
        expiresAt: created.expiresAt,
      };
    }
    case 'tenant list':
      return listTenants(db);
    case 'codes add': {
      const tenant = uuid(args, 'tenant', '--tenant');
      const limits = { uses: uses(args, 30), expiresInMs: parseDuration(String(args.expires ?? '7d')) };
      const code = await addCode(db, tenant, limits);
      if (!code) throw new AdminError('not_found', `--tenant: no tenant ${tenant}`);
      return { code: code.code, id: code.id, uses: code.uses, expiresAt: code.expiresAt };
    }
    case 'codes list': {
      const tenant = uuid(args, 'tenant', '--tenant');
      await knownTenant(db, tenant);
      const rows = await db.query<{
        id: string;
        uses: number;
        used: number;
        expires_at: Date;
        created_at: Date;
        revoked_at: Date | null;
      }>(
        `SELECT id::text, uses, used, expires_at, created_at, revoked_at FROM enrol_codes
          WHERE tenant_id = $1 ORDER BY created_at, id`,
        [tenant],
      );
      const now = Date.now();
      return rows.rows.map((row) => ({
        id: row.id,
        uses: row.uses,
        used: row.used,
        expiresAt: iso(row.expires_at),
        createdAt: iso(row.created_at),
        revoked: row.revoked_at !== null,
        active: row.revoked_at === null && row.used < row.uses && new Date(row.expires_at).getTime() > now,
      }));
    }
    case 'codes revoke': {
      // The code itself (as handed out) or its id from `codes list`.
      const given = text(args, 'code', 'codes revoke CODE');
      const found = await db.query<{ id: string; revoked_at: Date | null; expires_at: Date }>(
        'SELECT id::text, revoked_at, expires_at FROM enrol_codes WHERE code_hash = $1 OR id::text = lower($2)',
        [hashSecret(normaliseCode(given)), given],
      );
      const code = found.rows[0];
      if (!code) throw new AdminError('not_found', `codes revoke: no code or code id '${given}'`);
      if (code.revoked_at)
        throw new AdminError(
          'invalid_argument',
          `codes revoke: code ${code.id} was already revoked on ${iso(code.revoked_at)}`,
        );
      if (new Date(code.expires_at).getTime() <= Date.now())
        throw new AdminError(
          'invalid_argument',
          `codes revoke: code ${code.id} expired on ${iso(code.expires_at)}; nothing to revoke`,
        );
      const rows = await db.query<{ revoked_at: Date }>(
        'UPDATE enrol_codes SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING revoked_at',
        [code.id],
      );
      return { id: code.id, revoked: true, revokedAt: iso(rows.rows[0]?.revoked_at ?? null) };
    }
    case 'devices list': {
      const tenant = uuid(args, 'tenant', '--tenant');
      await knownTenant(db, tenant);
      const rows = await db.query<{
        id: string;
        name: string | null;
        created_at: Date;
        last_seen_at: Date | null;
        revoked_at: Date | null;
      }>(
        'SELECT id::text, name, created_at, last_seen_at, revoked_at FROM devices WHERE tenant_id = $1 ORDER BY created_at, id',
        [tenant],
      );
      return rows.rows.map((row) => ({
        id: row.id,
        name: row.name,
        enrolledAt: iso(row.created_at),
        lastSeenAt: iso(row.last_seen_at),
        revoked: row.revoked_at !== null,
      }));
    }
    case 'devices revoke': {
      const device = uuid(args, 'device', 'devices revoke DEVICE');
      const rows = await db.query<{ revoked_at: Date; before: Date | null }>(
        // The pending rotated token stays on the row: a device holding it is told "revoked", not "unknown".
        `UPDATE devices d SET revoked_at = coalesce(d.revoked_at, now())
           FROM devices old WHERE d.id = $1 AND old.id = d.id RETURNING d.revoked_at, old.revoked_at AS before`,
        [device],
      );
      const row = rows.rows[0];
      if (!row) throw new AdminError('not_found', `devices revoke: no device ${device}`);
      if (row.before)
        throw new AdminError(
          'invalid_argument',
          `devices revoke: device ${device} was already revoked on ${iso(row.before)}`,
        );
      return { id: device, revoked: true, revokedAt: iso(row.revoked_at) };
    }
    case 'erase': {
      const pseudonym = text(args, 'pseudonym', 'erase PSEUDONYM').toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(pseudonym))
        throw new AdminError(
          'invalid_argument',
          'erase PSEUDONYM: must be 64 hex digits (the keyed hash a device sends)',
        );
      return erasePseudonym(db, context.archiveDir, pseudonym);
    }
    case 'nightly':
      return context.nightly();
  }
}
