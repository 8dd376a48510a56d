/**
 * `window.lumin` for the e2e web host (tests/e2e/web-host.ts): the same object the Electron preload
 * exposes (`createClient` over one transport, plus `on`), with fetch('/rpc') in place of
 * ipcRenderer.invoke and an EventSource on /events in place of the `lumin:event` channel.
 *
 * Bundled to a classic script and injected with page.addInitScript, so it runs before the app's
 * own code and, like the preload, is not subject to the page's CSP.
 */
import type { LuminBridge } from '../../shared/contract/api';
import { createClient } from '../../shared/contract/client';
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

// Frozen, like a contextBridge object: the page cannot swap methods out from under the app.
page.lumin = Object.freeze(bridge);
