import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import integrationSetup from '../integration/global-setup.js';

declare module 'vitest' {
  export interface ProvidedContext {
    tarballPath: string;
  }
}

/**
 * The consumer tests' setup: the integration setup (one dev server, the workflow bundle) plus
 * `npm pack` of this checkout, exactly what a user installs (`prepare` builds it).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardown = await integrationSetup(project);
  const dir = mkdtempSync(join(tmpdir(), 'temporal-mediator-pack-'));
  execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], {
    cwd: resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
  project.provide('tarballPath', join(dir, tarball));
  return async () => {
    await teardown();
    rmSync(dir, { recursive: true, force: true });
  };
}
