/**
 * The packed tarball is the package: it holds every file the `exports` map names (JavaScript and
 * declarations) and nothing from the tests.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, inject } from 'vitest';
import { REPO } from './consumer.js';

type ExportTarget = string | { types: string; default: string };

describe('npm pack', () => {
  const files = execFileSync('tar', ['-tzf', inject('tarballPath')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((f) => f.replace(/^package\//, ''));
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    exports: Record<string, ExportTarget>;
  };

  it('contains every file the exports map names', () => {
    const named = Object.values(pkg.exports).flatMap((t) =>
      typeof t === 'string' ? [t] : [t.types, t.default],
    );
    expect(named.length).toBeGreaterThan(10);
    for (const file of named) expect(files, file).toContain(file.replace(/^\.\//, ''));
  });

  it('contains nothing from test/, scripts/, bench/ or examples/', () => {
    expect(files.filter((f) => /^(dist\/)?(test|scripts|bench|examples)\//.test(f))).toEqual([]);
    expect(files).toContain('README.md');
  });
});
