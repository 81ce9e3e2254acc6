import { execFileSync } from 'node:child_process';
import type { TestFn } from 'ava';
import { NODE_IMAGE } from '../../../clusters/images/node-image.ts';

/**
 * Integration tests need Docker and the node image; they run in CI (CI=true) and when asked
 * (TUNEPROOF_INTEGRATION=1). Elsewhere they are skipped with the reason, never faked.
 */
export function integrationSkipReason(opts: { needsNodeImage?: boolean } = {}): string | undefined {
  if (!process.env.CI && process.env.TUNEPROOF_INTEGRATION !== '1')
    return 'integration tests run with CI=true or TUNEPROOF_INTEGRATION=1';
  if (opts.needsNodeImage === false) return undefined;
  try {
    execFileSync('docker', ['image', 'inspect', NODE_IMAGE], { stdio: 'ignore' });
  } catch {
    return `node image ${NODE_IMAGE} missing: run \`tuneproof images build\` (make test does)`;
  }
  return undefined;
}

/** `test.serial`, or `test.serial.skip` with the reason in the title when integration is off. */
export function integrationTest<T>(
  test: TestFn<T>,
  opts: { needsNodeImage?: boolean } = {},
): TestFn<T>['serial'] {
  const reason = integrationSkipReason(opts);
  if (!reason) return test.serial;
  const skip = test.serial.skip as unknown as (title: string, ...rest: unknown[]) => void;
  return ((title: string, ...rest: unknown[]) =>
    skip(`${title} (skipped: ${reason})`, ...rest)) as unknown as TestFn<T>['serial'];
}
