import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, TuneproofError } from '../../harness/errors.ts';

/**
 * Debian's release names and suite aliases: an apt source for one of these (not its -security,
 * -updates or -backports companion) is a Debian mirror. Third-party repositories (a vendor's
 * "nodistro", "cloud-sdk-bookworm") name other suites.
 */
const DEBIAN_SUITES = new Set([
  'buster',
  'bullseye',
  'bookworm',
  'trixie',
  'forky',
  'duke',
  'sid',
  'oldoldstable',
  'oldstable',
  'stable',
  'testing',
  'unstable',
]);

export interface AptSource {
  uri: string;
  suites: string[];
  /** Where it was read, for messages. */
  file: string;
}

/** `deb` entries of a one-line sources.list (`deb [opts] uri suite components...`). */
export function parseSourcesList(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line.startsWith('deb ') && !line.startsWith('deb\t')) continue;
    const rest = line
      .slice(4)
      .trim()
      .replace(/^\[[^\]]*\]\s*/, '');
    const [uri, suite] = rest.split(/\s+/);
    if (uri && suite) out.push({ uri, suites: [suite], file });
  }
  return out;
}

/** `Types: deb` stanzas of a deb822 .sources file. */
export function parseDeb822Sources(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue;
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (m) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
    }
    if (fields.get('enabled')?.toLowerCase() === 'no') continue;
    if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
    const suites = (fields.get('suites') ?? '').split(/\s+/).filter(Boolean);
    for (const uri of (fields.get('uris') ?? '').split(/\s+/).filter(Boolean))
      out.push({ uri, suites, file });
  }
  return out;
}

/** The first source that serves a Debian release (not security, updates or backports). */
export function pickDebianMirror(sources: readonly AptSource[]): string | undefined {
  const hit = sources.find((s) => s.suites.some((suite) => DEBIAN_SUITES.has(suite)));
  return hit?.uri.replace(/\/+$/, '');
}

/** Every apt source configured on this machine, in apt's own order. */
export function readAptSources(root = '/etc/apt'): { sources: AptSource[]; files: string[] } {
  const files: string[] = [];
  const sources: AptSource[] = [];
  const list = join(root, 'sources.list');
  if (existsSync(list)) {
    files.push(list);
    sources.push(...parseSourcesList(readFileSync(list, 'utf8'), list));
  }
  const dir = join(root, 'sources.list.d');
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (name.endsWith('.list')) {
        files.push(file);
        sources.push(...parseSourcesList(readFileSync(file, 'utf8'), file));
      } else if (name.endsWith('.sources')) {
        files.push(file);
        sources.push(...parseDeb822Sources(readFileSync(file, 'utf8'), file));
      }
    }
  }
  return { sources, files };
}

/**
 * The Debian mirror the rootfs builds fetch from: the option, else $TUNEPROOF_DEBIAN_MIRROR,
 * else the one this machine's apt uses (air-gapped sites run their own mirror, and apt already
 * knows it). No address is built in: a machine with none configured is told how to name one.
 */
export function debianMirror(
  option?: string,
  env: NodeJS.ProcessEnv = process.env,
  aptRoot = '/etc/apt',
): string {
  if (option) return option;
  if (env.TUNEPROOF_DEBIAN_MIRROR) return env.TUNEPROOF_DEBIAN_MIRROR;
  const { sources, files } = readAptSources(aptRoot);
  const mirror = pickDebianMirror(sources);
  if (mirror) return mirror;
  throw new TuneproofError(
    `no Debian mirror found in apt's sources (${files.length ? files.join(', ') : `nothing under ${aptRoot}`}); ` +
      'name one with --debian-mirror URL or TUNEPROOF_DEBIAN_MIRROR=URL',
    { exitCode: ExitCode.configError },
  );
}
