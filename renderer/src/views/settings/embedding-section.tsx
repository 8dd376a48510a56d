/**
 * Embedding provider and model: the models this device knows (bundled, downloadable, OpenAI-compatible)
 * with a switch, download progress bars, and the OpenAI-compatible endpoint and its key. The key is
 * write-only: it goes to `models.setApiKey` and is never shown back.
 */
import type { FormEvent } from 'react';
import type { EmbeddingModelInfo } from '../../../../shared/contract/embeddings';
import type { SettingsState } from '../../stores/settings';
import { BaseUrlField, SecretField } from './field';

const PROVIDERS: Record<EmbeddingModelInfo['provider'], string> = {
  bundled: 'Bundled',
  transformers: 'Downloaded',
  openai: 'OpenAI-compatible',
};

const AVAILABILITY: Record<EmbeddingModelInfo['availability'], string> = {
  ready: 'Ready',
  download: 'Downloads on first use',
  needs_key: 'Needs an API key',
  missing: 'Files missing',
};

/** The switch button's words. */
function useLabel(model: EmbeddingModelInfo): string {
  return model.availability === 'download' ? 'Download and use' : 'Use';
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** The embedding section. */
export function EmbeddingSection({ state }: { state: SettingsState }) {
  const values = state.values;

  const saveEndpoint = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const baseUrl = String(form.get('baseUrl') ?? '').trim();
    const key = String(form.get('apiKey') ?? '').trim();
    const saved = await state.save({ 'embeddings.openai.baseUrl': baseUrl });
    if (saved && key) {
      if (await state.setApiKey(key)) (event.target as HTMLFormElement).reset();
    }
  };

  return (
    <section className="settings-card" aria-labelledby="settings-embeddings">
      <h3 id="settings-embeddings">Embedding model</h3>
      <p className="muted">
        Lumin turns every book into a vector to find similar books. A new model computes its vectors in the
        background; the current one keeps serving until they are ready.
      </p>
      <table className="model-table">
        <caption className="visually-hidden">Embedding models</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Provider</th>
            <th scope="col">State</th>
            <th scope="col">Book vectors</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {state.models.map((model) => {
            const download = state.downloads[model.id];
            return (
              <tr key={model.id} data-model={model.id}>
                <th scope="row">
                  {model.label}
                  {model.label.includes(model.id) ? null : <span className="model-id">{model.id}</span>}
                </th>
                <td>{PROVIDERS[model.provider]}</td>
                <td>
                  {model.active ? (
                    <span className="badge badge-succeeded">In use</span>
                  ) : model.switching ? (
                    <span className="badge badge-running">Computing vectors…</span>
                  ) : (
                    AVAILABILITY[model.availability]
                  )}
                  {download ? (
                    <div className="download">
                      <progress
                        max={download.total || 1}
                        value={download.total ? download.loaded : undefined}
                        aria-label={`Downloading ${model.label}`}
                      />
                      <span className="download-text">
                        {download.file}: {megabytes(download.loaded)}
                        {download.total ? ` of ${megabytes(download.total)}` : ''}
                      </span>
                    </div>
                  ) : null}
                </td>
                <td>{model.vectors.books.toLocaleString()}</td>
                <td>
                  {model.active || model.switching ? null : (
                    <button
                      type="button"
                      className="secondary"
                      disabled={model.availability === 'needs_key' || model.availability === 'missing'}
                      // The visible words first, so speech input ("click Use") finds the button.
                      aria-label={`${useLabel(model)} ${model.label}`}
                      onClick={() => void state.useModel(model.id)}
                    >
                      {useLabel(model)}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <form
        className="settings-form"
        onSubmit={(event) => void saveEndpoint(event)}
        key={values?.['embeddings.openai.baseUrl'] ?? ''}
        aria-label="OpenAI-compatible endpoint"
      >
        <h4>OpenAI-compatible endpoint</h4>
        <BaseUrlField
          label="Base URL"
          name="baseUrl"
          defaultValue={values?.['embeddings.openai.baseUrl'] ?? ''}
        />
        <SecretField
          label="API key"
          name="apiKey"
          placeholder="Stored encrypted on this computer; never shown again"
        />
        <div className="form-actions">
          <button type="submit">Save endpoint</button>
          <button type="button" className="secondary" onClick={() => void state.setApiKey(null)}>
            Forget the API key
          </button>
        </div>
      </form>
    </section>
  );
}
