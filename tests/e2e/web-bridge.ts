/**
 * `window.lumin` for the e2e web host (tests/e2e/web-host.ts): the same object the Electron preload
 * exposes (`createClient` over one transport, plus `on`), with fetch('/rpc') in place of
 * ipcRenderer.invoke and an EventSource on /events in place of the `lumin:event` channel; and
 * `window.luminDesktop`, with fetch('/desktop/…') in place of the desktop channels. A dropped File
 * goes over as its name only (the host finds it among the user's files, as Electron's
 * webUtils.getPathForFile finds its path): its bytes never cross.
 *
 * Bundled to a classic script and injected with page.addInitScript, so it runs before the app's
 * own code and, like the preload, is not subject to the page's CSP.
 */
import type { LuminBridge } from '../../shared/contract/api';
import { createClient } from '../../shared/contract/client';
import type { ChosenFile, LuminDesktop } from '../../shared/contract/desktop';
import type { Result } from '../../shared/contract/errors';
import type { EventName, Subscribe } from '../../shared/contract/events';

// This file runs in the page, but the tests' TypeScript project has no DOM library: declare the
// little of it that is used.
interface EventSourceLike {
  onmessage: ((message: { data: string }) => void) | null;
}
const page = globalThis as unknown as {
  EventSource: new (url: string) => EventSourceLike;
  lumin?: LuminBridge;
  luminDesktop?: LuminDesktop;
};

const transportError = (message: string): Result<never> => ({
  ok: false,
  error: { name: 'LuminError', code: 'internal', message },
});

const listeners = new Map<EventName, Set<(payload: never) => void>>();
let source: EventSourceLike | null = null;

/** Opens the event stream on the first subscription (the app subscribes at start-up). */
function connectEvents(): void {
  if (source) return;
  source = new page.EventSource('/events');
  source.onmessage = (message) => {
    const { name, payload } = JSON.parse(message.data) as { name: EventName; payload: never };
    for (const listener of listeners.get(name) ?? []) listener(payload);
  };
}

const on: Subscribe = (event, listener) => {
  if (typeof listener !== 'function') throw new TypeError('lumin.on: the listener must be a function');
  connectEvents();
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  const entry = listener as (payload: never) => void;
  set.add(entry);
  return () => {
    set.delete(entry);
  };
};

const bridge: LuminBridge = {
  ...createClient(async (method, input) => {
    try {
      const response = await fetch('/rpc', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ method, input }),
      });
      return (await response.json()) as Result<unknown>;
    } catch (error) {
      return transportError(`${method}: ${(error as Error).message}`);
    }
  }),
  on,
};

/** One desktop call (electron/main/desktop.ts's channels). */
async function desktopCall(call: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const response = await fetch(`/desktop/${call}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}

const desktop: LuminDesktop = {
  // This host has no lumin-cover: scheme (Chromium cannot load it): the page shows generated tiles.
  coverScheme: false,
  async revealDataFolder() {
    await desktopCall('reveal');
  },
  async openExternal(url) {
    return (await desktopCall('open-external', { url: String(url) })) === true;
  },
  async chooseImportFile() {
    return (await desktopCall('choose-import-file')) as ChosenFile | null;
  },
  async importDroppedFile(file) {
    const name = (file as { name?: unknown } | null)?.name;
    return (await desktopCall('import-dropped-file', { name: String(name ?? '') })) as Result<ChosenFile>;
  },
  async chooseSaveTarget(kind) {
    return (await desktopCall('choose-save-target', { kind: String(kind) })) as ChosenFile | null;
  },
  // File › Import… has no stand-in: the menu is Electron's.
  onImportFile: () => () => undefined,
};

// Frozen, like a contextBridge object: the page cannot swap methods out from under the app.
page.lumin = Object.freeze(bridge);
page.luminDesktop = Object.freeze(desktop);
