/**
 * Where the app is: the current view and its subject (a book, a reader). Mirrored in the URL hash
 * (`#/reader/<id>`) so a reload, a deep link or the back button lands on the same view.
 */
import { type StoreApi, createStore } from 'zustand/vanilla';

/** A view of the app, with what it shows. */
export type Route =
  | { view: 'library' }
  | { view: 'book'; bookId: string }
  | { view: 'import' }
  | { view: 'readers' }
  | { view: 'reader'; readerId: string }
  | { view: 'group' }
  | { view: 'analytics' }
  | { view: 'jobs' }
  | { view: 'settings' };

/** The top-level views, in sidebar order. */
export const MAIN_VIEWS = [
  'library',
  'import',
  'readers',
  'group',
  'analytics',
  'jobs',
  'settings',
] as const satisfies ReadonlyArray<Route['view']>;

/** The navigation state. */
export interface NavState {
  route: Route;
  /** Shows `route` (and records it in the hash). */
  go(route: Route): void;
}

const SIMPLE = new Set<string>(MAIN_VIEWS);

/** Reads a route from a hash such as `#/book/<id>`; unknown hashes fall back to the library. */
export function parseHash(hash: string): Route {
  const [view = '', id = ''] = hash.replace(/^#\/?/, '').split('/');
  if (view === 'book' && id) return { view: 'book', bookId: decodeURIComponent(id) };
  if (view === 'reader' && id) return { view: 'reader', readerId: decodeURIComponent(id) };
  if (SIMPLE.has(view)) return { view } as Route;
  return { view: 'library' };
}

/** The hash of a route. */
export function routeHash(route: Route): string {
  if (route.view === 'book') return `#/book/${encodeURIComponent(route.bookId)}`;
  if (route.view === 'reader') return `#/reader/${encodeURIComponent(route.readerId)}`;
  return `#/${route.view}`;
}

/** The sidebar entry a route belongs to (a book page is part of the library…). */
export function sectionOf(route: Route): (typeof MAIN_VIEWS)[number] {
  if (route.view === 'book') return 'library';
  if (route.view === 'reader') return 'readers';
  return route.view;
}

/** Minimal view of `window.location`/`history` (absent in unit tests without a DOM). */
interface Place {
  hash: string;
  setHash(hash: string): void;
}

/** Creates the navigation store; `place` is the window's location, when there is one. */
export function createNavStore(place?: Place): StoreApi<NavState> {
  return createStore<NavState>()((set) => ({
    route: place ? parseHash(place.hash) : { view: 'library' },
    go(route) {
      set({ route });
      if (place && place.hash !== routeHash(route)) place.setHash(routeHash(route));
    },
  }));
}
