import type { TestProject } from 'vitest/node';
import { findChromium } from '../../scripts/find-chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string;
  }
}

/** Finds (or installs, see scripts/find-chromium.ts) Chromium once, before any browser test. */
export default function setup(project: TestProject): void {
  project.provide('chromiumPath', findChromium().path);
}
