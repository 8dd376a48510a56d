/** The page: status, readers, an add-reader form, and the error panel above them. */
import { useEffect } from 'react';
import { AddReaderForm } from './components/AddReaderForm';
import { ErrorPanel } from './components/ErrorPanel';
import { ReadersPanel } from './components/ReadersPanel';
import { StatusPanel } from './components/StatusPanel';
import type { AppStores } from './stores';

/** The app over its stores. */
export function App({ stores }: { stores: AppStores }) {
  // Loads everything and follows `data.changed`; StrictMode's double effect is harmless (stop + start).
  useEffect(() => stores.start(), [stores]);
  return (
    <div className="app">
      <header className="app-header">
        <h1>Lumin</h1>
        <p className="tagline">Your reading library, on this computer.</p>
      </header>
      <main className="app-main">
        <ErrorPanel stores={stores} />
        <StatusPanel store={stores.status} />
        <div className="columns">
          <ReadersPanel readers={stores.readers} classes={stores.classes} />
          <AddReaderForm actions={stores.actions} classes={stores.classes} />
        </div>
      </main>
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
