import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// electron-builder's own YAML reader and schema validator (no packaging, no network).
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const root = join(import.meta.dirname, '..', '..');

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
}

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema', async () => {
    await expect(
      validateConfiguration(structuredClone(config), new DebugLogger(false)),
    ).resolves.toBeUndefined();
  });

  it('builds AppImage and deb, dmg, and nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('unpacks the ONNX runtime, sharp and the copied resources from the asar', () => {
    for (const pattern of [
      '**/node_modules/onnxruntime-node/**',
      '**/node_modules/sharp/**',
      '**/node_modules/@img/**',
      'resources/pgdata-template/**',
      'resources/pgdata-template.json',
      'resources/models/**',
    ])
      expect(config.asarUnpack).toContain(pattern);
  });

  it('ships the build, the migrations and the resources the core reads beside package.json', () => {
    for (const pattern of [
      'out/main/**',
      'out/preload/**',
      'out/renderer/**',
      'workers/db/migrations/**',
      'resources/models/**',
      'resources/pgdata-template/**',
    ])
      expect(config.files).toContain(pattern);
  });

  it('rejects what electron-builder would reject (the validator bites)', async () => {
    await expect(
      validateConfiguration({ ...structuredClone(config), notAnOption: 1 }, new DebugLogger(false)),
    ).rejects.toThrow(/notAnOption|unknown property/i);
  });
});
