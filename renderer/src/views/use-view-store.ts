/**
 * Views without props (analytics, jobs, settings) own their store: created once per mount over
 * `window.lumin` and started (loaded and subscribed to the core's events) while mounted.
 */
import { useEffect, useState } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { LuminBridge } from '../../../shared/contract/api';
import type { LuminDesktop } from '../../../shared/contract/desktop';

/** Creates the view's store over `window.lumin` on mount and runs its `start` while mounted. */
export function useViewStore<S extends { start(): () => void }>(
  create: (lumin: LuminBridge) => StoreApi<S>,
): StoreApi<S> {
  const [store] = useState(() => create(window.lumin));
  useEffect(() => store.getState().start(), [store]);
  return store;
}

/** The desktop app's extras, or null in a browser. */
export function desktop(): LuminDesktop | null {
  return (window as unknown as { luminDesktop?: LuminDesktop }).luminDesktop ?? null;
}
