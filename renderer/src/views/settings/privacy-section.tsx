/**
 * Settings → Privacy: for each feature that is on, what leaves the device and where it goes; the
 * features that are off send nothing. The rows come from `privacy.get`, which is the egress module's
 * own table (shared/egress/destinations.ts) with the current settings applied, so this page cannot
 * drift from what the code enforces. "Covers from the internet" is switched here too.
 */
import { useEffect, useState } from 'react';
import type { LuminErrorShape } from '../../../../shared/contract/errors';
import type { PrivacyRow } from '../../../../shared/egress/destinations';
import type { SettingsState } from '../../stores/settings';
import { CheckboxField } from './field';

/** The privacy section. */
export function PrivacySection({ state }: { state: SettingsState }) {
  const [rows, setRows] = useState<PrivacyRow[] | null>(null);
  const [failure, setFailure] = useState<LuminErrorShape | null>(null);
  const values = state.values;

  useEffect(() => {
    let current = true;
    void window.lumin.privacy
      .get()
      .then((result) => {
        if (!current) return;
        if (result.ok) {
          setRows(result.value);
          setFailure(null);
        } else setFailure(result.error);
      })
      .catch((error: unknown) =>
        setFailure({ name: 'LuminError', code: 'internal', message: String(error) }),
      );
    return () => {
      current = false;
    };
  }, [values]);

  const on = rows?.filter((row) => row.on) ?? [];
  const off = rows?.filter((row) => !row.on) ?? [];
  return (
    <section className="settings-card" aria-labelledby="settings-privacy">
      <h3 id="settings-privacy">Privacy</h3>
      <p className="field-hint">
        What leaves this device, and where it goes. Nothing about a student (name, notes, interests, age,
        grade, level or reading history) is ever sent to a language model, an embedding service or a cover
        host.
      </p>
      {failure ? <p role="alert">Cannot list what is sent: {failure.message}</p> : null}
      {rows === null && !failure ? <p className="muted">Loading…</p> : null}
      {rows !== null ? (
        on.length === 0 ? (
          <p data-testid="privacy-nothing">
            Nothing leaves this device: every feature that sends data is off.
          </p>
        ) : (
          <ul className="privacy-list" aria-label="Features that send data">
            {on.map((row) => (
              <li key={row.kind} data-kind={row.kind}>
                <strong>{row.feature}</strong>
                <p>
                  Sends {row.sends} to <code>{row.to}</code>.
                </p>
                <p className="field-hint">Never sends {row.never}.</p>
              </li>
            ))}
          </ul>
        )
      ) : null}
      {off.length > 0 ? (
        <p className="field-hint" data-testid="privacy-off">
          Off, so nothing is sent: {off.map((row) => row.feature).join('; ')}.
        </p>
      ) : null}
      {values ? (
        <CheckboxField
          // Uncontrolled, keyed by the stored value: it flips at once and follows what the core holds.
          key={String(values['covers.fromInternet'])}
          defaultChecked={values['covers.fromInternet']}
          onChange={(event) => void state.save({ 'covers.fromInternet': event.target.checked })}
          label="Covers from the internet (each book's ISBN is sent to Open Library; covers are kept in the data folder)"
        />
      ) : null}
    </section>
  );
}
