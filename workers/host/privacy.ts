/**
 * `privacy.get`: the egress module's table with, per destination, whether it is on now and where it
 * goes, for Settings → Privacy. Nothing here is written by hand: the rows are the table the egress
 * module enforces, the on/off and destinations come from the settings and the sync enrolment.
 */
import type { MethodName } from '../../shared/contract/api';
import { type Result, ok } from '../../shared/contract/errors';
import type { SettingValues } from '../../shared/contract/settings';
import { type PrivacyRow, privacyRows } from '../../shared/egress/destinations';

/** The privacy page's rows. */
export async function privacyReport(
  callDb: (method: MethodName, input: unknown) => Promise<Result<unknown>>,
  syncServer: () => Promise<string | null>,
  origins: { coverOrigin: string; hubOrigin?: string },
): Promise<Result<PrivacyRow[]>> {
  const settings = await callDb('settings.list', undefined);
  if (!settings.ok) return settings;
  return ok(
    privacyRows({
      settings: settings.value as SettingValues,
      syncServer: await syncServer().catch(() => null),
      ...origins,
    }),
  );
}
