/**
 * Fresh consumer projects in a temporary directory: a package.json, source files, `npm install` of the
 * packed tarball and whatever else the project would have, and commands run inside it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const execFileAsync = promisify(execFile);

/** The repository's own TypeScript and Node types, so a type check does not change what a project installs. */
export const REPO = resolve(import.meta.dirname, '../..');
export const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
export const NODE_TYPES = join(REPO, 'node_modules/@types');

/** The lowest and highest Temporal SDK versions of the package's peer range (package.json). */
export const SDK_LOWEST = '1.13.0';
export const SDK_HIGHEST = '1.24.0';

export interface Consumer {
  dir: string;
  /** Runs a command in the project; rejects with its output when it fails. */
  run(command: string, args: string[], env?: Record<string, string>): Promise<string>;
  /** Runs a file of the project with the Node that runs the tests. */
  node(file: string, env?: Record<string, string>): Promise<string>;
  remove(): void;
}

export interface ConsumerSpec {
  name: string;
  /** Extra package.json fields (e.g. `type`). */
  packageJson?: Record<string, unknown>;
  /** Files by relative path. */
  files: Record<string, string>;
  /** What `npm install` adds besides the tarball, e.g. `['@temporalio/client@1.24.0', 'zod']`. */
  install: string[];
}

export async function createConsumer(spec: ConsumerSpec): Promise<Consumer> {
  const dir = mkdtempSync(join(tmpdir(), `tm-consumer-${spec.name}-`));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: spec.name, version: '1.0.0', private: true, ...spec.packageJson }, null, 2),
  );
  for (const [file, text] of Object.entries(spec.files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const run = async (command: string, args: string[], env: Record<string, string> = {}) => {
    try {
      const { stdout } = await execFileAsync(command, args, {
        cwd: dir,
        env: { ...process.env, ...env },
        maxBuffer: 32 * 1024 * 1024,
      });
      return stdout;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(
        `${command} ${args.join(' ')} failed in ${dir}:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`,
      );
    }
  };
  await run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    inject('tarballPath'),
    ...spec.install,
  ]);
  return {
    dir,
    run,
    node: (file, env) => run(process.execPath, [file], env),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Bytes of a directory tree (files only, symlinks not followed), like `du -sb`. */
export function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** A NodeNext, strict tsconfig that checks every declaration file (`skipLibCheck: false`). */
export function strictTsconfig(include: string[], module: 'NodeNext' = 'NodeNext'): string {
  return JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module,
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: false,
        noEmit: false,
        outDir: 'dist',
        types: ['node'],
        typeRoots: [NODE_TYPES],
      },
      include,
    },
    null,
    2,
  );
}
