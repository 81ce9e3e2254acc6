/**
 * A real `tuneproof compare` (apiserver-load, smoke preset shortened to 10 s of load, default vs
 * tuned, one repetition: two runs on two fresh clusters) is killed with SIGKILL during its second
 * run, then resumed with `--resume`: resume re-makes whole blocks, and with one repetition the
 * block holds both runs, so both are made again (the earlier attempts kept under superseded/,
 * the orphaned cluster removed), and a report is written. Needs Docker and the node image; runs when CI or TUNEPROOF_INTEGRATION=1 is set.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { removeLabelled } from '../../../clusters/clean.ts';
import { docker } from '../../../clusters/docker.ts';
import { inspectImage } from '../../../clusters/images/docker-image.ts';
import { NODE_IMAGE } from '../../../clusters/images/node-image.ts';
import { labelKeys } from '../../../clusters/labels.ts';
import { readPlanFile } from '../../../harness/cli/compare/compare-plan-file.ts';
import { readComparison } from '../../../harness/compare/comparison-file.ts';
import { ExitCode } from '../../../harness/errors.ts';
import { readRun } from '../../../harness/results/run-reader.ts';

const main = fileURLToPath(new URL('../../../harness/cli/main.ts', import.meta.url));
const title = 'a compare killed with SIGKILL mid-way resumes with --resume and writes its report';
const nodeImage = process.env.TUNEPROOF_NODE_IMAGE ?? NODE_IMAGE;

async function skipReason(): Promise<string | undefined> {
  if (!process.env.CI && process.env.TUNEPROOF_INTEGRATION !== '1')
    return 'set TUNEPROOF_INTEGRATION=1 (or CI) to run it: it brings up 3 real clusters, about 5 minutes';
  try {
    if (!(await inspectImage(nodeImage)))
      return `node image ${nodeImage} is not on this machine (tuneproof images build, or TUNEPROOF_NODE_IMAGE)`;
  } catch (e) {
    return `Docker is not reachable: ${(e as Error).message}`;
  }
  return undefined;
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]): {
  child: ChildProcess;
  done: Promise<Finished>;
  output: () => string;
} {
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<Finished>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, output: () => stderr };
}

async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined> | T | undefined,
  watched: { child: ChildProcess; output: () => string },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const tail = () => watched.output().split('\n').slice(-30).join('\n');
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    if (watched.child.exitCode !== null)
      throw new Error(`compare exited ${watched.child.exitCode} before ${what}:\n${tail()}`);
    await sleep(1000);
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000}s waiting for ${what}; compare says:\n${tail()}`,
  );
}

const statusOf = (dir: string) =>
  existsSync(join(dir, 'run.json')) ? readRun(dir).status : undefined;

async function containersOfRun(runId: string): Promise<number> {
  const d = await docker();
  const list = await d.listContainers({
    all: true,
    filters: { label: [`${labelKeys.run}=${runId}`] },
  });
  return list.length;
}

const reason = await skipReason();
if (reason) {
  test.skip(`${title} (skipped: ${reason})`, () => {});
} else {
  test.serial(title, async (t) => {
    t.timeout(20 * 60_000);
    const results = mkdtempSync(join(tmpdir(), 'tp-compare-resume-'));
    const args = [
      'compare',
      '--profiles',
      'default,tuned',
      '--scenarios',
      'apiserver-load',
      '--preset',
      'smoke',
      '--set',
      'durationSeconds=10',
      '--repeat',
      '1',
      '--results',
      results,
    ];
    const first = start(args);
    let runIds: string[] = [];
    t.teardown(async () => {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
      for (const id of runIds) await removeLabelled({ run: id });
    });

    const dir = await waitFor(
      'the comparison directory',
      10 * 60_000,
      () => {
        const found = existsSync(results)
          ? readdirSync(results).filter((d) => d.startsWith('cmp-'))
          : [];
        return found[0] ? join(results, found[0]) : undefined;
      },
      first,
    );
    const plan = await waitFor(
      'plan.json',
      10 * 60_000,
      () => (existsSync(join(dir, 'plan.json')) ? readPlanFile(dir) : undefined),
      first,
    );
    runIds = plan.runs.map((r) => r.runId);
    const [firstRun, secondRun] = runIds as [string, string];
    const runDir = (id: string) => join(dir, 'runs', id);

    // the first run completes; kill -9 while the second has its cluster up
    const firstStatus = await waitFor(
      'the first run to end',
      8 * 60_000,
      () => {
        const s = statusOf(runDir(firstRun));
        return s && s !== 'running' ? s : undefined;
      },
      first,
    );
    t.is(
      firstStatus,
      'complete',
      `first run: ${first.child.exitCode === null ? '' : 'compare exited early; '}see ${runDir(firstRun)}`,
    );
    await waitFor(
      'the second run’s cluster',
      4 * 60_000,
      async () => ((await containersOfRun(secondRun)) > 0 ? true : undefined),
      first,
    );
    first.child.kill('SIGKILL');
    const killed = await first.done;
    t.is(killed.signal, 'SIGKILL');
    t.is(statusOf(runDir(secondRun)), 'running', 'a killed run says running');
    t.true((await containersOfRun(secondRun)) > 0, 'kill -9 leaves the cluster behind');

    // resume: the killed run's whole block is made again, a report written
    const resumed = start(['compare', '--resume', dir]);
    const end = await resumed.done;
    t.log(
      end.stderr
        .split('\n')
        .filter((l) => /Resuming|Run \d|made again|Removed|INVALID|PASS|FAIL/.test(l))
        .join('\n'),
    );
    t.true(
      ([ExitCode.success, ExitCode.verdictFailure, ExitCode.invalidRun] as number[]).includes(
        end.code ?? -1,
      ),
      `exit ${end.code}: ${end.stderr.slice(-2000)}`,
    );
    // the complete first run shares the killed run's block (one repetition): it is made again
    // too, so both sides of the block come from the same stretch of machine time
    t.regex(end.stderr, /Resuming cmp-.*: 0 of 2 runs complete, 2 to make/);
    // (with the reason: "complete, but its block is made again", or host contention on a busy
    // machine, which would have made it again by itself)
    t.true(end.stderr.includes(`Run ${firstRun} is made again (`), end.stderr.slice(-2000));
    t.true(existsSync(join(dir, 'superseded', `${firstRun}.1`)), 'its earlier attempt is kept');
    const lastLine = end.stdout.trim().split('\n').at(-1);
    t.is(lastLine, join(dir, 'report.html'));
    for (const f of ['report.html', 'summary.md', 'junit.xml', 'comparison.json'])
      t.true(existsSync(join(dir, f)), f);
    t.is(statusOf(runDir(firstRun)), 'complete');
    t.is(statusOf(runDir(secondRun)), 'complete');
    t.true(existsSync(join(dir, 'superseded', `${secondRun}.1`)), 'the killed attempt is kept');
    t.is(await containersOfRun(secondRun), 0, 'no cluster left behind');

    const comparison = readComparison(dir)!;
    const used = comparison.sides.flatMap((s) => s.runIds);
    const excluded = comparison.excludedRuns.map((x) => x.runId);
    t.deepEqual(
      [...used, ...excluded].sort(),
      [firstRun, secondRun].sort(),
      'both runs counted once, the superseded attempt not at all',
    );
    t.true(comparison.notes.some((n) => n.includes('earlier attempt')));
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    t.true(html.includes(secondRun));
  });
}
