import { readFileSync } from 'node:fs';
import test from 'ava';
import { ProgramNotFoundError } from '../../../harness/errors.ts';
import { exec } from '../../../harness/util/exec.ts';
import { HOST_TOOLS, missingProgramMessage } from '../../../harness/util/host-tools.ts';

test('a missing program is named, with what it is for and how to install it', async (t) => {
  const err = await t.throwsAsync(
    exec('debootstrap', ['--version'], { env: { PATH: '/nonexistent' }, context: 'rootfs' }),
    { instanceOf: ProgramNotFoundError },
  );
  t.is(err?.program, 'debootstrap');
  t.regex(err?.message ?? '', /^rootfs: debootstrap is not installed \(needed for building/);
  t.regex(err?.message ?? '', /make setup.*setup-host-tools\.sh.*apt-get install debootstrap/);
  t.notRegex(err?.message ?? '', /exit signal|ENOENT/);
});

test('an unknown missing program still says it is not installed', async (t) => {
  const err = await t.throwsAsync(exec('tuneproof-no-such-program', []), {
    instanceOf: ProgramNotFoundError,
  });
  t.is(err?.message, 'tuneproof-no-such-program is not installed (not found on PATH)');
});

test('a missing binary given by path says the file does not exist', (t) => {
  t.is(
    missingProgramMessage('/cache/bin/go'),
    '/cache/bin/go does not exist (needed for building Kubernetes, etcd, CoreDNS, crictl, k6 and actionlint from the Go module proxy)',
  );
});

test('a missing test tool points to make test, which installs it, not make setup', (t) => {
  const tool = HOST_TOOLS.find((x) => x.installedBy === 'setup-test-tools.sh');
  if (!tool) return t.fail('no tool is installed by setup-test-tools.sh');
  const message = missingProgramMessage(tool.program);
  t.regex(message, /run `make test`, whose scripts\/setup-test-tools\.sh installs it/);
  t.notRegex(message, /make setup/);
});

test('a missing working directory is not reported as a missing program', async (t) => {
  const err = await t.throwsAsync(exec('true', [], { cwd: '/nonexistent/dir' }));
  t.false(err instanceof ProgramNotFoundError);
});

for (const tool of HOST_TOOLS) {
  test(`scripts/${tool.installedBy} installs ${tool.program} (Debian's ${tool.debianPackage})`, (t) => {
    const script = readFileSync(
      new URL(`../../../scripts/${tool.installedBy}`, import.meta.url),
      'utf8',
    );
    const word = (w: string) =>
      new RegExp(`(^|[^\\w.-])${w.replace(/[.+]/g, '\\$&')}($|[^\\w.-])`, 'm');
    t.regex(script, word(tool.program), `${tool.installedBy} never checks for ${tool.program}`);
    t.regex(
      script,
      word(tool.debianPackage),
      `${tool.installedBy} never installs ${tool.debianPackage}`,
    );
  });
}
