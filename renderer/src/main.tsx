/** Renderer entry: creates the stores over `window.lumin` and mounts the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, MissingBridge } from './App';
import { createAppStores } from './stores';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('renderer/index.html must have a #root element');

// `window.lumin` is absent only when the page is opened outside Electron (e.g. a plain browser on the
// dev server); say so instead of failing on the first call.
const lumin = (window as Partial<Window>).lumin;
createRoot(container).render(
  <StrictMode>{lumin ? <App stores={createAppStores(lumin)} /> : <MissingBridge />}</StrictMode>,
);
