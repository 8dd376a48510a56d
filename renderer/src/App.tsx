/**
 * The app shell: a sidebar with the main views, the theme switch, the error panel, the view the
 * route selects, and a drop target covering the whole window.
 */
import { useCallback, useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { DropOverlay } from './components/drop-overlay';
import { ErrorPanel } from './components/ErrorPanel';
import { ThemeToggle } from './components/theme-toggle';
import type { AppStores } from './stores';
import { MAIN_VIEWS, type Route, parseHash, routeHash, sectionOf } from './stores/nav';
import { AnalyticsView } from './views/analytics-view';
import { BookView } from './views/book-view';
import { GroupView } from './views/group-view';
import { ImportView } from './views/import-view';
import { JobsView } from './views/jobs-view';
import { LibraryView } from './views/library-view';
import { ReaderView } from './views/reader-view';
import { ReadersView } from './views/readers-view';
import { SettingsView } from './views/settings-view';
import { desktop } from './views/use-view-store';

/** Sidebar labels of the main views. */
export const VIEW_LABELS: Record<(typeof MAIN_VIEWS)[number], string> = {
  library: 'Library',
  import: 'Import',
  readers: 'Classes & readers',
  group: 'Group picks',
  analytics: 'Analytics',
  jobs: 'Jobs',
  settings: 'Settings',
};

function CurrentView({ stores, route }: { stores: AppStores; route: Route }) {
  switch (route.view) {
    case 'library':
      return <LibraryView stores={stores} />;
    case 'book':
      return <BookView stores={stores} bookId={route.bookId} />;
    case 'import':
      return <ImportView stores={stores} />;
    case 'readers':
      return <ReadersView stores={stores} />;
    case 'reader':
      return <ReaderView stores={stores} readerId={route.readerId} />;
    case 'group':
      return <GroupView stores={stores} />;
    case 'analytics':
      return <AnalyticsView />;
    case 'jobs':
      return <JobsView />;
    case 'settings':
      return <SettingsView />;
  }
}

/** The app over its stores. */
export function App({ stores }: { stores: AppStores }) {
  // Loads everything and follows `data.changed`; StrictMode's double effect is harmless (stop + start).
  useEffect(() => stores.start(), [stores]);
  const route = useStore(stores.nav, (state) => state.route);
  const go = useStore(stores.nav, (state) => state.go);
  const ready = useStore(stores.status, (state) => !state.loading);
  const main = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);

  // Back/forward and typed hashes move the app too.
  useEffect(() => {
    const follow = () => {
      const next = parseHash(window.location.hash);
      if (routeHash(next) !== routeHash(stores.nav.getState().route)) stores.nav.getState().go(next);
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [stores]);

  // After a navigation, keyboard and screen-reader users continue from the new view's start.
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    main.current?.scrollTo?.({ top: 0 });
  }, [route]);

  const onFile = useCallback(
    (file: File) => {
      stores.nav.getState().go({ view: 'import' });
      void stores.imports.getState().drop(file);
    },
    [stores],
  );

  // File › Import… (Cmd/Ctrl+O) in the desktop app: the main process shows the dialog and sends the file's handle.
  useEffect(
    () =>
      desktop()?.onImportFile((file) => {
        stores.nav.getState().go({ view: 'import' });
        void stores.imports.getState().start(file);
      }),
    [stores],
  );

  const section = sectionOf(route);
  return (
    <div className="app" data-ready={ready ? 'true' : 'false'}>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => (event.preventDefault(), main.current?.focus())}
      >
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <h1>Lumin</h1>
          <p className="tagline">Your reading library, on this computer.</p>
        </div>
        <nav aria-label="Main">
          <ul>
            {MAIN_VIEWS.map((view) => (
              <li key={view}>
                <a
                  href={routeHash({ view } as Route)}
                  aria-current={section === view ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    go({ view } as Route);
                  }}
                >
                  {VIEW_LABELS[view]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <ThemeToggle />
      </aside>
      <main id="main" className="app-main" ref={main} tabIndex={-1}>
        <ErrorPanel stores={stores} />
        <CurrentView stores={stores} route={route} />
      </main>
      <DropOverlay onFile={onFile} />
    </div>
  );
}

/** Shown when the page runs without the preload bridge. */
export function MissingBridge() {
  return (
    <main className="app-main">
      <h1>Lumin</h1>
      <section className="error-panel" role="alert">
        <h2>Lumin’s core is not available</h2>
        <p>This page must be opened by the Lumin app.</p>
      </section>
    </main>
  );
}
