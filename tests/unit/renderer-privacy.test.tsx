// @vitest-environment happy-dom
/**
 * Settings → Privacy: generated from the egress module's table (`privacy.get` answers with the real
 * `privacyRows` of shared/egress/destinations.ts over the settings this fake core keeps), it lists
 * what each feature that is on sends and where, and switches covers from the internet.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SETTING_DEFAULTS } from '../../shared/contract/setting-defaults';
import type { SettingValues } from '../../shared/contract/settings';
import { DESTINATIONS, privacyRows } from '../../shared/egress/destinations';
import { SettingsView } from '../../renderer/src/views/settings-view';
import { eventually, fakeBridge } from './renderer-views-fake-bridge';

afterEach(() => cleanup());

function privacyBridge(initial: Partial<SettingValues>) {
  let values: SettingValues = { ...SETTING_DEFAULTS, ...initial };
  const fake = fakeBridge({
    'settings.list': () => values,
    'settings.set': (input) => {
      const { key, value } = input as { key: keyof SettingValues; value: unknown };
      values = { ...values, [key]: value };
      return { key, value };
    },
    'models.list': () => [],
    'readers.list': () => ({ items: [], total: 0 }),
    'status.get': () => ({ dataDir: '/data' }),
    'privacy.get': () => privacyRows({ settings: values, syncServer: null }),
    'models.setApiKey': (input) => ({ stored: (input as { key: string | null }).key !== null }),
  });
  return { ...fake, values: () => values };
}

describe('privacy section', () => {
  it('says nothing leaves the device while every feature is off', async () => {
    const fake = privacyBridge({ 'embeddings.autoUpgrade': false });
    window.lumin = fake.bridge;
    render(<SettingsView />);
    const section = await screen.findByRole('region', { name: 'Privacy' });
    await eventually(() => expect(within(section).getByTestId('privacy-nothing')).toBeTruthy());
    for (const row of DESTINATIONS)
      expect(within(section).getByTestId('privacy-off').textContent).toContain(row.feature);
  });

  it('lists what each feature that is on sends and where, from the egress table, and turns covers on', async () => {
    const fake = privacyBridge({
      'explanations.llm.enabled': true,
      'explanations.llm.baseUrl': 'http://localhost:11434/v1',
      'embeddings.autoUpgrade': false,
    });
    window.lumin = fake.bridge;
    render(<SettingsView />);
    const section = await screen.findByRole('region', { name: 'Privacy' });
    const list = await within(section).findByRole('list', { name: 'Features that send data' });
    const chat = DESTINATIONS.find((row) => row.kind === 'chat')!;
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(list.textContent).toContain(chat.feature);
    expect(list.textContent).toContain(chat.sends);
    expect(list.textContent).toContain('http://localhost:11434');
    expect(list.textContent).toContain(chat.never);

    fireEvent.click(within(section).getByLabelText(/Covers from the internet/));
    await eventually(() => expect(fake.values()['covers.fromInternet']).toBe(true));
    await eventually(() => expect(within(section).getAllByRole('listitem')).toHaveLength(2));
    expect(within(section).getByRole('list').textContent).toContain('https://covers.openlibrary.org');
  });
});

describe('language model key', () => {
  it('is stored for the language model endpoint it was typed for', async () => {
    const fake = privacyBridge({});
    window.lumin = fake.bridge;
    render(<SettingsView />);
    const url = await screen.findByLabelText('Language model base URL');
    fireEvent.change(url, { target: { value: 'https://llm.school.example/v1' } });
    const key = screen.getByLabelText('Secret key for the language model');
    fireEvent.change(key, { target: { value: 'sk-llm-1' } });
    fireEvent.submit(key.closest('form') as HTMLFormElement);
    await eventually(() =>
      expect(fake.called('models.setApiKey').map((call) => call.input)).toEqual([
        { key: 'sk-llm-1', baseUrl: 'https://llm.school.example/v1' },
      ]),
    );
    expect(fake.values()['explanations.llm.baseUrl']).toBe('https://llm.school.example/v1');
  });
});
