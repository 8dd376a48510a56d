/** Starts tests/support/child-core.ts in its own Node process and waits for its output lines. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./child-core.ts', import.meta.url));

/** A running child process with a way to wait for a line. */
export interface Child {
  process: ChildProcess;
  lines: string[];
  waitFor(line: string, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node --import tsx child-core.ts DATA_DIR MODE`. */
export function startChild(
  dataDir: string,
  mode: 'hold' | 'crash' | 'import' | 'embed',
  ...extra: string[]
): Child {
  // --liftoff-only as in vitest.config.ts: a short-lived process that compiles PGlite once.
  const child = spawn(
    process.execPath,
    ['--liftoff-only', '--import', 'tsx', script, dataDir, mode, ...extra],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  const waiters: { line: string; resolve: () => void }[] = [];
  let buffer = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      for (const waiter of waiters.filter((item) => line.startsWith(item.line))) waiter.resolve();
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    lines,
    exited,
    waitFor(line, timeoutMs = 60_000) {
      if (lines.some((item) => item.startsWith(line))) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`child did not print ${line}; it printed ${lines.join(' | ')}`)),
          timeoutMs,
        );
        waiters.push({ line, resolve: () => (clearTimeout(timer), resolve()) });
        void exited.then(() =>
          setTimeout(() => reject(new Error(`child exited before ${line}: ${lines.join(' | ')}`)), 50),
        );
      });
    },
  };
}
