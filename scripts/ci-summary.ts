// CI summary over the vitest JSON reports in test-results/ (used by .ci/run).
//
//   npx tsx scripts/ci-summary.ts <failedChecks> <passedChecks>   # prints `N passed, N failed`, exit 1 on failures
//   npx tsx scripts/ci-summary.ts --failed-files <report.json>    # the files with failed tests or suites
//
// A suite's report is test-results/vitest-<label>.json; .ci/run reruns the files that failed once,
// into test-results/rerun-<label>.json. A test that failed and then passed on the rerun counts as
// passed and is listed as flaky by name; everything that failed is named with its first message line.
import fs from 'node:fs';
import path from 'node:path';

interface Assertion {
  status: string;
  fullName: string;
  failureMessages?: string[];
}
interface Suite {
  name: string;
  status: string;
  message?: string;
  failureMessages?: string[];
  assertionResults: Assertion[];
}
interface Report {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  testResults: Suite[];
}
const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Report;

const dir = 'test-results';
const rel = (file: string) => path.relative(process.cwd(), file);

function failedSuites(report: Report): Suite[] {
  return report.testResults.filter(
    (s) => s.status === 'failed' && !s.assertionResults.some((a) => a.status === 'failed'),
  );
}

function failedFiles(report: Report): string[] {
  const files = new Set<string>();
  for (const s of report.testResults) {
    if (s.status === 'failed' || s.assertionResults.some((a) => a.status === 'failed'))
      files.add(rel(s.name));
  }
  return [...files];
}

function firstLine(messages: string[] | undefined): string {
  const text = (messages ?? [])
    .join('\n')
    .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  return text.split('\n').find((l) => l.trim()) ?? '(no message)';
}

if (process.argv[2] === '--failed-files') {
  const report = read(process.argv[3] ?? '');
  console.log(failedFiles(report).join(' '));
  process.exit(0);
}

let failed = Number(process.argv[2] ?? 0);
let passed = Number(process.argv[3] ?? 0);
const failures: string[] = [];
const flaky: string[] = [];
const reports = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^vitest-.*\.json$/.test(f)) : [];
if (!reports.length) {
  failed += 1;
  failures.push('no vitest report in test-results/');
}
for (const f of reports.sort()) {
  const label = f.slice('vitest-'.length, -'.json'.length);
  const report = read(path.join(dir, f));
  const rerunFile = path.join(dir, `rerun-${label}.json`);
  const rerun = fs.existsSync(rerunFile) ? read(rerunFile) : undefined;
  const passedOnRerun = new Set<string>();
  const rerunSuitesOk = new Set<string>();
  for (const s of rerun?.testResults ?? []) {
    if (s.status === 'passed') rerunSuitesOk.add(s.name);
    for (const a of s.assertionResults)
      if (a.status === 'passed') passedOnRerun.add(`${s.name}\u0000${a.fullName}`);
  }
  let suitePassed = report.numPassedTests;
  let suiteFailed = 0;
  for (const s of report.testResults) {
    for (const a of s.assertionResults) {
      if (a.status !== 'failed') continue;
      const name = `${label}: ${rel(s.name)} > ${a.fullName}`;
      if (passedOnRerun.has(`${s.name}\u0000${a.fullName}`)) {
        suitePassed += 1;
        flaky.push(`${name} (first run: ${firstLine(a.failureMessages)})`);
      } else {
        suiteFailed += 1;
        failures.push(`${name}: ${firstLine(a.failureMessages)}`);
      }
    }
  }
  let suiteErrors = 0;
  for (const s of failedSuites(report)) {
    if (rerunSuitesOk.has(s.name)) continue;
    suiteErrors += 1;
    failures.push(`${label}: ${rel(s.name)} (suite error): ${s.message ?? firstLine(s.failureMessages)}`);
  }
  // A report that says it failed without naming a failure (e.g. unhandled errors) counts once.
  const unexplained = !report.success && !report.numFailedTests && !failedSuites(report).length ? 1 : 0;
  if (unexplained) failures.push(`${label}: the run failed outside any test (unhandled error; see its log)`);
  console.log(
    `${f}: ${suitePassed} passed, ${suiteFailed} failed, ${suiteErrors} suite errors` +
      (rerun ? ` (after rerunning its failed files)` : '') +
      `, success=${report.success}`,
  );
  passed += suitePassed;
  failed += suiteFailed + suiteErrors + unexplained;
}
if (flaky.length) {
  console.log(`flaky: ${flaky.length} test(s) failed once and passed when their file ran again:`);
  for (const line of flaky) console.log(`  ${line}`);
}
if (failures.length) {
  console.log('failed:');
  for (const line of failures) console.log(`  ${line}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
