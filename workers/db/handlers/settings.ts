/** Settings: validated key/value pairs with defaults. */
import {
  SETTING_DEFAULTS,
  SETTINGS_SCHEMAS,
  type SettingKey,
  type SettingValues,
} from '../../../shared/contract/settings';
import type { HandlerSlice, Sql } from '../context';

async function readAll(sql: Sql): Promise<SettingValues> {
  const result = await sql.query<{ key: string; value: unknown }>('SELECT key, value FROM settings');
  const values: Record<string, unknown> = { ...SETTING_DEFAULTS };
  for (const row of result.rows) {
    const schema = SETTINGS_SCHEMAS[row.key as SettingKey] as
      (typeof SETTINGS_SCHEMAS)[SettingKey] | undefined;
    // A value an older or newer Lumin stored that this one cannot read falls back to the default.
    if (schema?.safeParse(row.value).success) values[row.key] = row.value;
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
    const value = SETTINGS_SCHEMAS[key].parse(input.value) as SettingValues[SettingKey];
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
