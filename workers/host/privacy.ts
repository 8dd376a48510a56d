/**
 * `privacy.get`: the egress module's table with, per destination, whether it is on now and where it
 * goes, for Settings → Privacy. Nothing here is written by hand: the rows are the table the egress
 * module enforces, the on/off and destinations come from the settings and the sync enrolment.
 */
import { ok } from '../../shared/contract/errors';
import { privacyRows } from '../../shared/egress/destinations';
import type { HostSlice } from './host-types';

export const privacyHandlers = {
  async 'privacy.get'(_input, { db, origins }) {
    const settings = await db.settings.list();
    if (!settings.ok) return settings;
    const state = await db.syncStore.state();
    return ok(
      privacyRows({
        settings: settings.value,
        syncServer: state.ok ? state.value.serverUrl : null,
        ...origins,
      }),
    );
  },
} satisfies HostSlice<'privacy.get'>;
