/**
 * The packaged app's layout, proven without Electron's binary: electron-builder `--dir` packs the
 * electron-vite build with the real config, against an `electronDist` folder holding a placeholder
 * executable (the version comes from the real `electron` npm package). The test unpacks app.asar with
 * @electron/asar and starts the core from it under Node, with process.resourcesPath pointing at it:
 * the db and embed workers start, the pgdata template is copied from app.asar.unpacked, the bundled
 * model loads from there, and a recommendation is served.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { extractAll, listPackage } from '@electron/asar';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDirs, tempDir } from '../support/core';

const root = join(import.meta.dirname, '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

afterAll(cleanupDirs);

/** The electron-vite build, made here when this checkout has none (CI builds it before the tests). */
function ensureBuild(): void {
  const core = join(root, 'out', 'main', 'core.js');
  if (existsSync(core) && existsSync(join(root, 'out', 'renderer', 'index.html'))) return;
  execFileSync(bin('electron-vite'), ['build'], { cwd: root, stdio: 'pipe' });
}

describe('the packaged layout', () => {
  it('starts the core from app.asar under Node: workers, template, bundled model, a recommendation', () => {
    ensureBuild();
    const scratch = tempDir('lumin-package-');
    const electronDist = join(scratch, 'electron-dist');
    mkdirSync(electronDist);
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\necho "placeholder for Electron"\n');
    chmodSync(join(electronDist, 'electron'), 0o755);
    const output = join(scratch, 'dist');
    execFileSync(
      bin('electron-builder'),
      ['--dir', '--linux', '--x64', `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`],
      { cwd: root, stdio: 'pipe', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
    );
    const resources = join(output, 'linux-unpacked', 'resources');
    const archive = join(resources, 'app.asar');
    expect(statSync(archive).isFile()).toBe(true);

    // What the config unpacks: the template the core copies and the model the ONNX runtime reads.
    const unpacked = join(resources, 'app.asar.unpacked');
    // Every file of the template ships (its pg_filenode.map files once fell to a `*.map` exclusion).
    const templateFiles = (folder: string) =>
      readdirSync(folder, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
        .sort();
    expect(templateFiles(join(unpacked, 'resources', 'pgdata-template'))).toEqual(
      templateFiles(join(root, 'resources', 'pgdata-template')),
    );
    expect(existsSync(join(unpacked, 'resources', 'models'))).toBe(true);
    expect(existsSync(join(unpacked, 'node_modules', 'onnxruntime-node'))).toBe(true);
    // The archive holds the build and the migrations, and no source, test or CLI build.
    const files = listPackage(archive, { isPack: false });
    expect(files).toContain('/out/main/core.js');
    expect(files).toContain('/out/main/db-worker.js');
    expect(files).toContain('/out/main/embed-worker.js');
    expect(files.some((file) => file.startsWith('/workers/db/migrations/'))).toBe(true);
    expect(files.filter((file) => /^\/(tests|cli|shared|bench|out\/cli)/.test(file))).toEqual([]);

    // Unpack the archive where Electron would read it from: a folder named app.asar beside app.asar.unpacked.
    const layout = join(scratch, 'resources');
    mkdirSync(layout);
    execFileSync('cp', ['-a', unpacked, join(layout, 'app.asar.unpacked')]);
    extractAll(archive, join(layout, 'app.asar'));
    const probe = join(root, 'tests', 'support', 'packaged-core-probe.mjs');
    const report = JSON.parse(
      execFileSync(process.execPath, [probe, layout, join(scratch, 'data')], { encoding: 'utf8' }),
    ) as {
      created: string;
      job: string;
      status: { books: { total: number; embedded: number } };
      items: string[];
    };
    expect(report.created).toBe('template');
    expect(report.job).toBe('succeeded');
    expect(report.status.books).toEqual({ total: 3, embedded: 3 });
    expect(report.items.length).toBeGreaterThan(0);
  }, 600_000);
});
