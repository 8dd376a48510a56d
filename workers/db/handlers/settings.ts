/** Settings: validated key/value pairs with defaults. */
import { LuminFailure } from '../../../shared/contract/errors';
import { SETTING_DEFAULTS } from '../../../shared/contract/setting-defaults';
import type { SettingKey, SettingValues } from '../../../shared/contract/settings';
import type { Sql } from '../context';
import type { HandlerSlice } from './types';

async function readAll(sql: Sql): Promise<SettingValues> {
  const result = await sql.query<{ key: string; value: unknown }>('SELECT key, value FROM settings');
  const values: Record<string, unknown> = { ...SETTING_DEFAULTS };
  for (const row of result.rows) {
    // The host validated every value on the way in; a key or type another Lumin version stored that
    // this one does not know falls back to the default.
    const known = Object.hasOwn(SETTING_DEFAULTS, row.key);
    if (known && typeof row.value === typeof SETTING_DEFAULTS[row.key as SettingKey])
      values[row.key] = row.value;
  }
  return values as SettingValues;
}

export const settingHandlers = {
  async 'settings.get'(input, context) {
    const key = input.key as SettingKey;
    return { key, value: (await readAll(context.db))[key] };
  },

  async 'settings.set'(input, context) {
    const key = input.key as SettingKey;
    if (key === 'embeddings.model')
      throw new LuminFailure(
        'invalid_argument',
        'settings.set: embeddings.model changes through models.use (`lumin models use ID`), which computes the new vectors first',
        { field: 'key' },
      );
    const value = input.value as SettingValues[SettingKey]; // validated by the host against the key's schema
    await context.db.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [key, JSON.stringify(value)],
    );
    context.changed({ entity: 'settings', op: 'update', ids: [key] });
    return { key, value };
  },

  async 'settings.list'(_input, context) {
    return readAll(context.db);
  },
} satisfies HandlerSlice<'settings'>;
