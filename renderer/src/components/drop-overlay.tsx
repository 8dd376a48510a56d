/**
 * Drop a file anywhere on the window: while a file is dragged over the app a full-window overlay
 * says what will happen; the drop starts an import and shows the Import view.
 */
import { useEffect, useState } from 'react';

/** Calls `onFile` with a file dropped anywhere on the window. */
export function DropOverlay({ onFile }: { onFile: (file: File) => void }) {
  const [active, setActive] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (event: DragEvent) =>
      !!event.dataTransfer && [...event.dataTransfer.types].includes('Files');
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth++;
      setActive(true);
    };
    const over = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      // Without this the browser (or Electron) would open the file instead of dropping it here.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const leave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setActive(false);
    };
    const drop = (event: DragEvent) => {
      event.preventDefault();
      depth = 0;
      setActive(false);
      const file = event.dataTransfer?.files[0];
      if (file) onFile(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [onFile]);
  return (
    <div className="drop-overlay" hidden={!active} aria-hidden={!active}>
      <div className="drop-message">
        <p className="drop-title">Drop to import</p>
        <p>Goodreads, StoryGraph, LibraryThing, Calibre, MARC, ISBN lists, CSV or a class roster.</p>
      </div>
    </div>
  );
}
