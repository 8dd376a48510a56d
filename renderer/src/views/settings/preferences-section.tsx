/**
 * Recommendations (diversity λ), LLM explanations (on/off, endpoint, model) and sync (on/off, server).
 * The forms are uncontrolled and keyed by the stored values, so a save or a change from elsewhere
 * (the CLI) resets them to what the core holds.
 */
import { type FormEvent, useState } from 'react';
import type { SettingValues } from '../../../../shared/contract/settings';
import type { SettingsState } from '../../stores/settings';
import { BaseUrlField, CheckboxField, Field, SecretField } from './field';

/** The recommendation and explanation settings. */
export function RecommendSection({ state }: { state: SettingsState }) {
  const values = state.values;
  const [diversity, setDiversity] = useState<number | null>(null);
  if (!values) return null;
  const shown = diversity ?? values['recommend.diversity'];

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next: Partial<SettingValues> = {
      'recommend.diversity': Number(form.get('diversity')),
      'explanations.llm.enabled': form.get('llmEnabled') === 'on',
      'explanations.llm.baseUrl': String(form.get('llmBaseUrl') ?? '').trim(),
      'explanations.llm.model': String(form.get('llmModel') ?? '').trim(),
    };
    if (!(await state.save(next))) return;
    setDiversity(null);
    // The key is stored for this endpoint's origin only (never sent to another host).
    const key = String(form.get('llmKey') ?? '').trim();
    if (key) await state.setApiKey(key, next['explanations.llm.baseUrl'] ?? '');
  };

  return (
    <section className="settings-card" aria-labelledby="settings-recommend">
      <h3 id="settings-recommend">Recommendations and explanations</h3>
      <form
        className="settings-form"
        aria-labelledby="settings-recommend"
        onSubmit={(event) => void submit(event)}
        key={JSON.stringify([
          values['recommend.diversity'],
          values['explanations.llm.enabled'],
          values['explanations.llm.baseUrl'],
          values['explanations.llm.model'],
        ])}
      >
        <Field
          label={`Variety in each list (λ = ${shown.toFixed(2)})`}
          hint="1 ranks by relevance only; lower values mix in more variety."
          name="diversity"
          type="range"
          min={0}
          max={1}
          step={0.05}
          defaultValue={values['recommend.diversity']}
          aria-valuetext={`${shown.toFixed(2)}: ${shown >= 0.8 ? 'mostly relevance' : shown <= 0.4 ? 'mostly variety' : 'balanced'}`}
          onChange={(event) => setDiversity(Number(event.target.value))}
        />
        <CheckboxField
          label="Explain recommendations with a language model"
          name="llmEnabled"
          defaultChecked={values['explanations.llm.enabled']}
        />
        <BaseUrlField
          label="Language model base URL"
          name="llmBaseUrl"
          defaultValue={values['explanations.llm.baseUrl']}
        />
        <Field
          label="Language model"
          name="llmModel"
          type="text"
          required
          defaultValue={values['explanations.llm.model']}
        />
        <SecretField
          label="Secret key for the language model"
          hint="Optional; kept for this endpoint only and never shown again. Empty keeps the stored one."
          name="llmKey"
        />
        <div className="form-actions">
          <button type="submit">Save recommendations</button>
        </div>
      </form>
    </section>
  );
}

/** The sync settings. */
export function SyncSection({ state }: { state: SettingsState }) {
  const values = state.values;
  if (!values) return null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await state.save({
      'sync.enabled': form.get('syncEnabled') === 'on',
      'sync.serverUrl': String(form.get('syncServerUrl') ?? '').trim(),
    });
  };

  return (
    <section className="settings-card" aria-labelledby="settings-sync">
      <h3 id="settings-sync">Sync</h3>
      <p className="muted">
        Shares pseudonymous reading events (never names) with a Lumin server so recommendations learn from
        other schools. Off by default.
      </p>
      <form
        className="settings-form"
        aria-labelledby="settings-sync"
        onSubmit={(event) => void submit(event)}
        key={JSON.stringify([values['sync.enabled'], values['sync.serverUrl']])}
      >
        <CheckboxField
          label="Sync with a server"
          name="syncEnabled"
          defaultChecked={values['sync.enabled']}
        />
        <Field
          label="Server URL"
          name="syncServerUrl"
          type="url"
          placeholder="https://lumin.example.org"
          defaultValue={values['sync.serverUrl']}
        />
        <div className="form-actions">
          <button type="submit">Save sync</button>
        </div>
      </form>
    </section>
  );
}
