/**
 * The layout ARCHITECTURE.md draws, checked on the source: folders import only folders below them,
 * no import cycle between files, no file over 300 lines, and the two backends stay apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Each folder's layer; an import must go to a strictly lower layer. `workflows` is at the bottom for
 * what it exports at run time (constants, the envelope rules); its own imports are types only.
 */
const LAYERS: Record<string, number> = {
  workflows: 0,
  'src/sdk': 0,
  'src/core': 1,
  'src/contracts': 2,
  'src/observability': 3,
  'src/security': 3,
  'src/jobs': 4,
  'src/dispatch': 5,
  'src/recurring': 6,
  'src/api': 7,
  activities: 7,
  'src/client': 8,
  'src/in-memory': 8,
  'src/worker': 9,
  'src/testing': 9,
  src: 10, // the entry points and createMediator, which knows both backends
};

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push(p);
    }
  };
  for (const d of ['src', 'workflows', 'activities']) walk(d);
  return out;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  const re = /^(?:import|export)\s+(type\s+)?[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm;
  const out: Import[] = [];
  for (const m of text.matchAll(re)) {
    const to = normalize(join(dirname(file), m[2]!)).replace(/\.js$/, '.ts');
    out.push({ from: file, to, typeOnly: Boolean(m[1]) });
  }
  return out;
}

/** The folder a file belongs to, as LAYERS names it (`src/client/lanes/x.ts` → `src/client`). */
export function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] !== 'src') return parts[0]!;
  return parts.length === 2 ? 'src' : `src/${parts[1]}`;
}

/** The first import cycle in a graph (file → files it imports), or undefined. */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

const files = sources();
const imports = files.flatMap(importsOf);

describe('layout (ARCHITECTURE.md)', () => {
  it('finds the cycle it is shown and none where there is none', () => {
    const acyclic = new Map([
      ['a', ['b']],
      ['b', ['c']],
    ]);
    const cyclic = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
    ]);
    expect(findCycle(acyclic)).toBeUndefined();
    expect(findCycle(cyclic)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('every folder has a layer', () => {
    const unknown = [...new Set(files.map(folderOf))].filter((f) => LAYERS[f] === undefined);
    expect(unknown, 'add new folders to LAYERS here and to ARCHITECTURE.md').toEqual([]);
  });

  it('imports resolve to files that exist', () => {
    const known = new Set(files);
    expect(imports.filter((i) => !known.has(i.to)).map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('no import cycle between files (type imports included)', () => {
    const graph = new Map<string, string[]>(files.map((f) => [f, []]));
    for (const i of imports) graph.get(i.from)!.push(i.to);
    expect(findCycle(graph)).toBeUndefined();
  });

  it('each folder imports only folders below it', () => {
    const upward = imports.filter((i) => {
      const [a, b] = [folderOf(i.from), folderOf(i.to)];
      if (a === b) return false;
      if (a === 'workflows' && i.typeOnly) return false; // types only; the bundle never loads src/
      return LAYERS[b]! >= LAYERS[a]!;
    });
    expect(upward.map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('workflow code imports nothing from src/ or activities/ at run time', () => {
    const runtime = imports.filter((i) => folderOf(i.from) === 'workflows' && folderOf(i.to) !== 'workflows');
    expect(runtime.filter((i) => !i.typeOnly).map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('the in-memory backend uses neither the Temporal backend nor the worker', () => {
    const crossing = imports.filter(
      (i) =>
        folderOf(i.from) === 'src/in-memory' &&
        ['src/client', 'src/worker', 'activities'].includes(folderOf(i.to)),
    );
    expect(crossing.map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('no file over 300 lines in src/, workflows/ and activities/', () => {
    const long = files
      .map((f) => ({ f, lines: readFileSync(join(root, f), 'utf8').split('\n').length - 1 }))
      .filter((x) => x.lines > 300)
      .map((x) => `${relative(root, join(root, x.f))}: ${x.lines}`);
    expect(long).toEqual([]);
  });
});
