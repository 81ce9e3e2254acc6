/**
 * The README's setup on a bare Debian: a clean clone of this repository, in a throw-away
 * container made from a Debian minbase (plus git and make, which the README's commands
 * presume), runs `make setup` and the test-tool setup to the end, and then every program
 * tuneproof and its tests spawn is there, Node is 24, Go is new enough to build Kubernetes, the
 * CLI talks to Docker, and the lint (biome, shellcheck, and actionlint built from the Go module
 * proxy with the Go that setup provided) passes. A fresh machine once failed at "spawn
 * debootstrap ENOENT" while CI, on a machine with debootstrap left from earlier work, passed:
 * this test fails instead.
 *
 * Docker comes from the host: the container gets the host's socket, so setup-docker.sh installs
 * Debian's docker.io and finds an engine answering instead of starting a nested dockerd.
 *
 * What a site configures rather than the project installs comes from the host too, as it would
 * be on any machine of the site: the Debian mirror (debootstrap writes the one apt uses into the
 * image), local CA certificates (a site that inspects TLS adds its own; setup's ca-certificates
 * install picks them up) and the TLS and proxy environment variables.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { cacheDir } from '../../../clusters/images/cache-dir.ts';
import { rootfsImage } from '../../../clusters/images/rootfs.ts';
import { labelKeys, ownerLabels } from '../../../clusters/labels.ts';
import { exec } from '../../../harness/util/exec.ts';
import { HOST_TOOLS } from '../../../harness/util/host-tools.ts';
import { integrationTest } from '../support/integration.ts';

const it = integrationTest(test, { needsNodeImage: false });
const LOCAL_CAS = '/usr/local/share/ca-certificates';
const SITE_ENV = [
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];
const repo = new URL('../../..', import.meta.url).pathname;

it('a clean clone on a bare Debian gets through the setup of make test and make compare', async (t) => {
  t.timeout(25 * 60_000);
  const bare = await rootfsImage({ name: 'bare', suite: 'bookworm', packages: ['git', 'make'] });
  const id = `bare-${randomBytes(3).toString('hex')}`;
  const labels = { ...ownerLabels(id, id), [labelKeys.role]: 'setup-test' };
  const name = `tp-${id}`;
  const downloads = join(cacheDir(), 'bare-debian');
  for (const d of ['apt/partial', 'npm']) mkdirSync(join(downloads, d), { recursive: true });
  await exec('docker', [
    'run',
    '-d',
    '--name',
    name,
    ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    '-v',
    '/var/run/docker.sock:/var/run/docker.sock',
    // Downloads are kept between runs on one machine (every install step still runs): apt's
    // .debs and npm's cache. A fresh machine starts with both empty.
    '-v',
    `${downloads}/apt:/var/cache/apt/archives`,
    '-v',
    `${downloads}/npm:/root/.npm`,
    bare.ref,
    'sleep',
    'infinity',
  ]);
  t.teardown(() => exec('docker', ['rm', '-f', name], { allowFailure: true }));
  const siteEnv = SITE_ENV.filter((k) => process.env[k]).flatMap((k) => [
    '-e',
    `${k}=${process.env[k]}`,
  ]);
  const sh = (script: string, timeoutMs = 20 * 60_000) =>
    exec(
      'docker',
      ['exec', '-e', 'CI=true', ...siteEnv, '-w', '/src', name, 'bash', '-c', script],
      {
        allowFailure: true,
        timeoutMs,
      },
    );
  if (existsSync(LOCAL_CAS))
    await exec('docker', ['cp', `${LOCAL_CAS}/.`, `${name}:${LOCAL_CAS}/`]);

  // A clean clone of what is committed, as a user's `git clone` gives it.
  const bundle = execFileSync('git', ['bundle', 'create', '-', 'HEAD'], { cwd: repo });
  await exec('docker', ['exec', '-i', name, 'sh', '-c', 'cat > /tmp/repo.bundle'], {
    input: bundle,
  });
  const cloned = await exec(
    'docker',
    ['exec', name, 'git', 'clone', '-q', '/tmp/repo.bundle', '/src'],
    { allowFailure: true },
  );
  t.is(cloned.exitStatus, 0, cloned.stderr);

  const before = await sh(HOST_TOOLS.map((h) => `command -v ${h.program} || true`).join('; '));
  t.log(`before setup, present: ${before.stdout.trim().split('\n').join(' ') || 'none'}`);

  const t0 = performance.now();
  const setup = await sh('make setup && bash scripts/setup-test-tools.sh');
  const setupSeconds = (performance.now() - t0) / 1000;
  t.log(`make setup + test tools on bare Debian: ${setupSeconds.toFixed(0)} s`);
  t.is(
    setup.exitStatus,
    0,
    `setup failed:\n${setup.stdout.slice(-3000)}\n${setup.stderr.slice(-3000)}`,
  );

  const missing = [];
  for (const tool of HOST_TOOLS) {
    const r = await sh(`command -v ${tool.program}`);
    if (r.exitStatus !== 0)
      missing.push(`${tool.program} (${tool.debianPackage}, ${tool.installedBy})`);
  }
  t.deepEqual(missing, [], 'programs setup left missing');

  const node = await sh('node_modules/.bin/node --version');
  t.regex(node.stdout, /^v24\./);
  const go = await sh('"$HOME/.cache/tuneproof/go/bin/go" env GOVERSION || go env GOVERSION');
  const [maj, min] = go.stdout.trim().replace(/^go/, '').split('.').map(Number);
  t.true((maj ?? 0) > 1 || (min ?? 0) >= 24, `Go ${go.stdout.trim()} is too old for the builds`);

  // The CLI runs on Node 24 and reaches Docker (the host's engine, through the socket).
  const images = await sh('npm run -s tuneproof -- images list');
  t.is(images.exitStatus, 0, images.stderr);

  // biome, shellcheck and actionlint: actionlint is built here with the Go setup provided.
  const lint = await sh('npm run -s lint', 10 * 60_000);
  t.is(lint.exitStatus, 0, `${lint.stdout.slice(-2000)}\n${lint.stderr.slice(-2000)}`);
  t.regex(lint.stdout, /actionlint: \d+ files clean/);
});
