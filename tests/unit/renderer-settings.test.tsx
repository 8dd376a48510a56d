// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reader } from '../../shared/contract/domain';
import type { EmbeddingModelInfo } from '../../shared/contract/embeddings';
import { SETTING_DEFAULTS } from '../../shared/contract/setting-defaults';
import type { SettingValues } from '../../shared/contract/settings';
import { createSettingsStore } from '../../renderer/src/stores/settings';
import { exportFileName } from '../../renderer/src/views/settings/data-section';
import { SettingsView } from '../../renderer/src/views/settings-view';
import { eventually, fakeBridge } from './renderer-views-fake-bridge';

const model = (
  fields: Partial<EmbeddingModelInfo> & Pick<EmbeddingModelInfo, 'id' | 'label'>,
): EmbeddingModelInfo => ({
  provider: 'bundled',
  dimension: 100,
  availability: 'ready',
  active: false,
  switching: false,
  vectors: { books: 0, readers: 0, tags: 0 },
  completedAt: null,
  indexed: false,
  ...fields,
});

const ada: Reader = {
  id: '00000000-0000-4000-8000-0000000000ad',
  kind: 'student',
  name: 'Ada Park',
  grade: 3,
  age: 8,
  readingLevel: null,
  interests: [],
  notes: null,
  classId: null,
  sync: true,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
};

/** A core whose settings behave like the real one's: validated keys, values kept across calls. */
function settingsBridge() {
  let values: SettingValues = { ...SETTING_DEFAULTS };
  let readers = [ada];
  const keys: string[] = [];
  const fake = fakeBridge({
    'settings.list': () => values,
    'settings.set': (input) => {
      const { key, value } = input as { key: keyof SettingValues; value: unknown };
      if (key === 'sync.serverUrl' && typeof value === 'string' && value.startsWith('ftp:'))
        return {
          ok: false,
          error: {
            name: 'LuminError',
            code: 'invalid_argument',
            message: 'settings.set: value: Invalid URL',
          },
        };
      values = { ...values, [key]: value };
      return { key, value };
    },
    'models.list': () => [
      model({
        id: 'lumin-glove-100d',
        label: 'Lumin GloVe',
        active: true,
        vectors: { books: 300, readers: 0, tags: 0 },
      }),
      model({
        id: 'Xenova/all-MiniLM-L6-v2',
        label: 'MiniLM',
        provider: 'transformers',
        availability: 'download',
      }),
    ],
    'models.use': (input) => ({
      model: model({ id: (input as { id: string }).id, label: 'MiniLM', switching: true }),
      job: { id: 'j1' },
    }),
    'models.setApiKey': (input) => {
      keys.push(String((input as { key: string | null }).key));
      return { stored: (input as { key: string | null }).key !== null };
    },
    'readers.list': () => ({ items: readers, total: readers.length }),
    'readers.get': () => ada,
    'readers.remove': (input) => {
      readers = readers.filter((reader) => reader.id !== (input as { id: string }).id);
      return { id: ada.id };
    },
    'readers.export': () => ({
      path: null,
      bytes: 100,
      data: { format: 'lumin.reader-export', version: 1, reader: ada, interactions: [{ id: 'i1' }] },
    }),
    'status.get': () => ({ dataDir: '/home/teacher/.config/Lumin/data' }),
  });
  return { ...fake, keys, values: () => values };
}

afterEach(() => cleanup());

describe('settings store', () => {
  it('saves into the core and reloads what the core holds', async () => {
    const fake = settingsBridge();
    const store = createSettingsStore(fake.bridge);
    await store.getState().refresh();
    expect(store.getState().dataDir).toBe('/home/teacher/.config/Lumin/data');
    expect(await store.getState().save({ 'recommend.diversity': 0.4, 'sync.enabled': true })).toBe(true);
    expect(fake.values()).toMatchObject({ 'recommend.diversity': 0.4, 'sync.enabled': true });
    expect(store.getState().values?.['recommend.diversity']).toBe(0.4);
    expect(store.getState().notice).toBe('Settings saved.');

    expect(await store.getState().save({ 'sync.serverUrl': 'ftp://x' })).toBe(false);
    expect(store.getState().failure).toMatchObject({
      action: 'Saving the settings',
      error: { code: 'invalid_argument' },
    });
  });

  it('follows model downloads until they are done', async () => {
    const fake = settingsBridge();
    const store = createSettingsStore(fake.bridge);
    const stop = store.getState().start();
    await eventually(() => expect(store.getState().loading).toBe(false));
    const progress = { model: 'Xenova/all-MiniLM-L6-v2', file: 'model.onnx', loaded: 5, total: 10 };
    fake.emit('model.download', { ...progress, status: 'progress' });
    expect(store.getState().downloads['Xenova/all-MiniLM-L6-v2']?.loaded).toBe(5);
    fake.emit('model.download', { ...progress, loaded: 10, status: 'done' });
    expect(store.getState().downloads).toEqual({});
    stop();
  });

  it('exports one reader with one call through the contract', async () => {
    const fake = settingsBridge();
    const store = createSettingsStore(fake.bridge);
    const exported = await store.getState().exportReader(ada.id);
    expect(fake.called('readers.export')).toHaveLength(1);
    expect(exported?.reader.name).toBe('Ada Park');
    expect(exported?.interactions.map((item) => item.id)).toEqual(['i1']);
    expect(exportFileName('Ada  Park!', new Date('2026-12-02T00:00:00Z'))).toBe(
      'lumin-ada-park-2026-12-02.json',
    );
  });
});

describe('settings view', () => {
  it('writes the API key without ever showing it back', async () => {
    const fake = settingsBridge();
    window.lumin = fake.bridge;
    render(<SettingsView />);
    const key = (await screen.findByLabelText('API key')) as HTMLInputElement;
    expect(key.type).toBe('password');
    fireEvent.change(key, { target: { value: 'sk-secret-123' } });
    fireEvent.submit(key.closest('form') as HTMLFormElement);
    expect(await screen.findByText('API key saved.')).toBeTruthy();
    expect(fake.keys).toEqual(['sk-secret-123']);
    expect((screen.getByLabelText('API key') as HTMLInputElement).value).toBe('');
    expect(document.body.innerHTML).not.toContain('sk-secret-123');
  });

  it('lists models with their state and switches to a downloadable one', async () => {
    const fake = settingsBridge();
    window.lumin = fake.bridge;
    render(<SettingsView />);
    const row = (await screen.findByText('MiniLM')).closest('tr') as HTMLElement;
    fireEvent.click(within(row).getByRole('button', { name: 'Download and use MiniLM' }));
    await eventually(() =>
      expect(fake.called('models.use')[0]?.input).toEqual({ id: 'Xenova/all-MiniLM-L6-v2' }),
    );
    expect(await screen.findByText(/Computing vectors with MiniLM/)).toBeTruthy();
  });

  it('deletes a student only after the confirmation', async () => {
    const fake = settingsBridge();
    window.lumin = fake.bridge;
    render(<SettingsView />);
    fireEvent.change(await screen.findByLabelText('Student'), { target: { value: ada.id } });
    fireEvent.click(screen.getByRole('button', { name: 'Delete data…' }));
    const dialog = screen.getByRole('dialog', { hidden: true });
    expect(within(dialog).getByText('Delete Ada Park?')).toBeTruthy();
    expect(within(dialog).getByText(/copies inside the automatic backups/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep', hidden: true }));
    expect(fake.called('readers.remove')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Delete data…' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete', hidden: true }));
    expect(
      await screen.findByText('Deleted Ada Park: their history, lists and backup copies are erased.'),
    ).toBeTruthy();
    expect(fake.called('readers.remove')[0]?.input).toEqual({ id: ada.id });
  });
});
