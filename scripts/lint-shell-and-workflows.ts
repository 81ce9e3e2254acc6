/**
 * Lints what biome does not read: every shell script in the repository (found by its #! line)
 * with shellcheck, and the GitHub Actions workflows with actionlint, which also runs shellcheck
 * on their `run:` steps. The nightly workflow cannot run on the machines tuneproof is tested on,
 * so this is where its mistakes are caught. actionlint is built from the Go module proxy into
 * tuneproof's cache like the other tools; shellcheck is Debian's (scripts/setup-test-tools.sh).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBinaries } from '../clusters/images/binaries.ts';
import { exec } from '../harness/util/exec.ts';

const root = join(import.meta.dirname, '..');
const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root })
  .toString()
  .split('\n')
  .filter(Boolean);
const shellScripts = tracked.filter((f) => {
  try {
    return /^#!\S*\/(env\s+)?(ba|da)?sh\b/.test(readFileSync(join(root, f), 'utf8').slice(0, 64));
  } catch {
    return false; // listed but deleted in the work tree
  }
});
const workflows = readdirSync(join(root, '.github/workflows'))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => join('.github/workflows', f));

let failed = false;
for (const [what, command, args] of [
  ['shellcheck', 'shellcheck', ['--external-sources', ...shellScripts]],
  ['actionlint', (await ensureBinaries({ groups: ['actionlint'] })).paths.actionlint, workflows],
] as const) {
  const r = await exec(command, args, { cwd: root, allowFailure: true });
  const output = `${r.stdout}${r.stderr}`.trim();
  if (r.exitStatus !== 0) {
    failed = true;
    process.stderr.write(`${what} found problems:\n${output}\n`);
  } else {
    process.stdout.write(`${what}: ${args.length} files clean\n`);
  }
}
process.exitCode = failed ? 1 : 0;
