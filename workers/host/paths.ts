/**
 * The per-user application-data folder: the same one Electron's `app.getPath('userData')` gives for
 * an app named Lumin, so the CLI and the desktop app share one library by default.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Lumin's per-user folder (`~/.config/Lumin`, `~/Library/Application Support/Lumin`, `%APPDATA%\Lumin`). */
export function userDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Lumin');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Lumin');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Lumin');
}

/** The default data directory: `$LUMIN_DATA_DIR`, else `<userData>/data`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LUMIN_DATA_DIR || join(userDataDir(process.platform, env), 'data');
}
