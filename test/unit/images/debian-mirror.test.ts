import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import {
  debianMirror,
  parseDeb822Sources,
  parseSourcesList,
  pickDebianMirror,
} from '../../../clusters/images/debian-mirror.ts';

const deb822 = `Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
`;

test('deb822 sources: URIs and suites of each deb stanza', (t) => {
  t.deepEqual(parseDeb822Sources(deb822, 'debian.sources'), [
    {
      uri: 'http://mirror.example/debian',
      suites: ['bookworm', 'bookworm-updates'],
      file: 'debian.sources',
    },
    {
      uri: 'http://mirror.example/debian-security',
      suites: ['bookworm-security'],
      file: 'debian.sources',
    },
  ]);
});

test('deb822: disabled stanzas and deb-src are skipped', (t) => {
  const text =
    'Types: deb-src\nURIs: http://a/debian\nSuites: trixie\n\nTypes: deb\nEnabled: no\nURIs: http://b/debian\nSuites: trixie\n';
  t.deepEqual(parseDeb822Sources(text, 'x.sources'), []);
});

test('one-line sources.list with options and comments', (t) => {
  const text =
    '# local mirror\ndeb [signed-by=/k.gpg arch=amd64] http://mirror.local/debian/ trixie main\ndeb-src http://x/debian trixie main\n';
  t.deepEqual(parseSourcesList(text, 'sources.list'), [
    { uri: 'http://mirror.local/debian/', suites: ['trixie'], file: 'sources.list' },
  ]);
});

test('third-party repositories and security suites are not taken for the Debian mirror', (t) => {
  const sources = [
    { uri: 'https://vendor.example/node', suites: ['nodistro'], file: 'a' },
    { uri: 'https://vendor.example/apt', suites: ['cloud-sdk-bookworm'], file: 'b' },
    { uri: 'http://sec.example/debian-security', suites: ['bookworm-security'], file: 'c' },
    { uri: 'http://mirror.example/debian/', suites: ['stable'], file: 'd' },
  ];
  t.is(pickDebianMirror(sources), 'http://mirror.example/debian');
  t.is(pickDebianMirror(sources.slice(0, 3)), undefined);
});

test('option, then environment, then apt configuration; none is an error naming both ways', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'apt-'));
  mkdirSync(join(root, 'sources.list.d'));
  t.throws(() => debianMirror(undefined, {}, root), {
    message:
      /no Debian mirror found in apt's sources.*--debian-mirror URL or TUNEPROOF_DEBIAN_MIRROR=URL/,
  });
  writeFileSync(join(root, 'sources.list.d', 'debian.sources'), deb822);
  t.is(debianMirror(undefined, {}, root), 'http://mirror.example/debian');
  t.is(
    debianMirror(undefined, { TUNEPROOF_DEBIAN_MIRROR: 'http://env/debian' }, root),
    'http://env/debian',
  );
  t.is(
    debianMirror('http://opt/debian', { TUNEPROOF_DEBIAN_MIRROR: 'http://env/debian' }, root),
    'http://opt/debian',
  );
});
