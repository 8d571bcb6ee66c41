/**
 * `npm run check:duplicates`: no block of six or more lines shared by the two backends. Runs jscpd
 * (6 lines, 50 tokens) over `src`, `activities` and `workflows`, prints every clone, and fails only
 * on cross-backend clones: one side in `src/in-memory/`, the other anywhere else. Logic both
 * backends need belongs in the backend-neutral folders (`src/dispatch/`, `src/jobs/`,
 * `src/recurring/`, `src/contracts/`, …) as one function both call. Clones within one backend are
 * reported, not failed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Side {
  name: string;
  start: number;
  end: number;
}
interface Clone {
  lines: number;
  firstFile: Side;
  secondFile: Side;
}

const IN_MEMORY = 'src/in-memory/';
const out = mkdtempSync(join(tmpdir(), 'jscpd-'));
try {
  execFileSync(
    join('node_modules', '.bin', process.platform === 'win32' ? 'jscpd.cmd' : 'jscpd'),
    [
      ...['--min-lines', '6', '--min-tokens', '50', '--format', 'typescript'],
      ...['--reporters', 'json', '--output', out, '--silent'],
      ...['src', 'activities', 'workflows'],
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const report = JSON.parse(readFileSync(join(out, 'jscpd-report.json'), 'utf8')) as { duplicates: Clone[] };
  const where = (s: Side) => `${s.name.replaceAll('\\', '/')}:${s.start}-${s.end}`;
  const inMemory = (s: Side) => s.name.replaceAll('\\', '/').startsWith(IN_MEMORY);
  const cross = report.duplicates.filter((c) => inMemory(c.firstFile) !== inMemory(c.secondFile));
  for (const c of report.duplicates) {
    const mark = cross.includes(c) ? 'CROSS-BACKEND' : 'same backend ';
    console.log(`${mark}  ${c.lines} lines  ${where(c.firstFile)}  ${where(c.secondFile)}`);
  }
  console.log(
    `${report.duplicates.length} clone(s) of 6+ lines; ${cross.length} shared by the in-memory backend and the rest`,
  );
  if (cross.length) {
    console.error('Move the shared logic into a backend-neutral module both backends call.');
    process.exitCode = 1;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
