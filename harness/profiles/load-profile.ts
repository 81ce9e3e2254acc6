import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closest, distance } from 'fastest-levenshtein';
import { isAlias, isMap, isScalar, type Node, type Pair } from 'yaml';
import { ConfigError, type Problem } from '../errors.ts';
import { readInputFile } from '../util/read-input-file.ts';
import { catalogue, findKnob } from './catalogue.ts';
import { type Component, components, knobId } from './catalogue-types.ts';
import {
  type FlagComponent,
  flagComponents,
  type ProfileValue,
  profileApiVersion,
  profileKind,
  type ResolvedProfile,
} from './profile-types.ts';
import { checkRules } from './rules.ts';
import { checkQuantity, checkValue, hasControl } from './values.ts';
import {
  keyNodeAt,
  maxAliasCount,
  nodeAt,
  parseYamlSource,
  position,
  type YamlSource,
} from './yaml-source.ts';

/** The profiles that ship with tuneproof (default, tuned, ...). */
export const builtinProfilesDir = fileURLToPath(
  new URL('../../clusters/profiles/', import.meta.url),
);

const nameRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** One profile file, before its `extends` chain is merged. */
interface ProfileFile {
  name: string;
  description?: string;
  file: string;
  extends?: { ref: string; line?: number };
  values: ProfileValue[];
  extraArgs: Partial<Record<FlagComponent, Record<string, string>>>;
}

/**
 * Finds a profile by name (a file in `dirs`, then the built-in ones) or path. Names resolve to
 * `<name>.yaml`; anything with a slash or a .yaml/.yml ending is a path.
 */
export function resolveProfileRef(ref: string, dirs: readonly string[] = []): string | undefined {
  if (ref.includes('/') || /\.ya?ml$/.test(ref)) {
    const p = isAbsolute(ref) ? ref : resolve(dirs[0] ?? process.cwd(), ref);
    return existsSync(p) ? p : undefined;
  }
  for (const dir of [...dirs, builtinProfilesDir]) {
    for (const ext of ['.yaml', '.yml']) {
      const p = join(dir, `${ref}${ext}`);
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

/**
 * Loads a profile and its bases, checks every value and cross-field rule, and returns the merged
 * profile. Throws one ConfigError listing every problem (file, line, field path) when any is an
 * error; warnings come back with the profile.
 */
export function loadProfile(
  ref: string,
  opts: { dirs?: string[] } = {},
): { profile: ResolvedProfile; warnings: Problem[] } {
  const problems: Problem[] = [];
  const file = resolveProfileRef(ref, opts.dirs ?? [process.cwd()]);
  if (!file) {
    const isPath = ref.includes('/') || /\.ya?ml$/.test(ref);
    throw new ConfigError(`profile ${ref}`, [
      isPath
        ? { file: ref, path: '', message: 'no such file', severity: 'error' }
        : {
            path: '',
            message: `no profile named "${ref}" (looked for ${ref}.yaml in ${[...(opts.dirs ?? [process.cwd()]), builtinProfilesDir].join(', ')})`,
            severity: 'error',
          },
    ]);
  }
  const chain: ProfileFile[] = [];
  const seen: string[] = [];
  let current: string | undefined = file;
  let from: { file: string; line?: number; ref: string } | undefined;
  while (current) {
    if (seen.includes(current)) {
      problems.push({
        file: from?.file,
        line: from?.line,
        path: 'extends',
        message: `extends cycle: ${[...seen, current].map((f) => basename(f)).join(' -> ')}`,
        severity: 'error',
      });
      break;
    }
    seen.push(current);
    const parsed = readProfileFile(current, problems);
    if (!parsed) break;
    chain.push(parsed);
    if (!parsed.extends) break;
    const next = resolveProfileRef(parsed.extends.ref, [dirname(current)]);
    if (!next) {
      problems.push({
        file: current,
        line: parsed.extends.line,
        path: 'extends',
        message: `base profile "${parsed.extends.ref}" not found (looked beside this file and in the built-in profiles)`,
        severity: 'error',
      });
      break;
    }
    from = { file: current, line: parsed.extends.line, ref: parsed.extends.ref };
    current = next;
  }
  if (chain.length === 0) throw new ConfigError(`profile ${ref}`, problems);
  // cross-field rules run even when some values were rejected, so one pass reports everything
  const profile = merge(chain);
  problems.push(...checkRules(profile));
  if (problems.some((p) => p.severity === 'error'))
    throw new ConfigError(`profile ${ref}`, problems);
  return { profile, warnings: problems };
}

/** Merge a chain (child first): a child's value replaces its base's, maps included. */
function merge(chain: ProfileFile[]): ResolvedProfile {
  const values = new Map<string, ProfileValue>();
  const extraArgs = Object.fromEntries(
    flagComponents.map((c) => [c, {}]),
  ) as ResolvedProfile['extraArgs'];
  for (const pf of [...chain].reverse()) {
    for (const v of pf.values) values.set(knobId(v.knob), v);
    for (const c of flagComponents) Object.assign(extraArgs[c], pf.extraArgs[c] ?? {});
  }
  const head = chain[0]!;
  const sorted = [...values.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, v]) => [id, v.value]);
  const digest = createHash('sha256')
    .update(JSON.stringify({ values: sorted, extraArgs }))
    .digest('hex');
  return {
    name: head.name,
    description: head.description,
    files: chain.map((c) => c.file),
    values,
    extraArgs,
    digest,
  };
}

function readProfileFile(file: string, problems: Problem[]): ProfileFile | undefined {
  // kind and size first: a FIFO or /dev/zero named as a profile must not hang or fill memory
  const input = readInputFile(file);
  if (!input.ok) {
    problems.push({ file, path: '', message: input.message, severity: 'error' });
    return undefined;
  }
  const { source, problems: yamlProblems } = parseYamlSource(file, input.text);
  problems.push(...yamlProblems);
  if (yamlProblems.some((p) => p.severity === 'error')) return undefined;
  const at = (
    path: string[],
    message: string,
    severity: Problem['severity'] = 'error',
    useKey = false,
  ) => {
    const node = useKey ? keyNodeAt(source, path) : nodeAt(source, path);
    problems.push({ file, ...position(source, node), path: path.join('.'), message, severity });
  };
  const root = source.doc.contents;
  if (!isMap(root)) {
    at([], 'a profile is a YAML mapping with apiVersion, kind, metadata and spec');
    return undefined;
  }
  const top = source.doc.toJS({ maxAliasCount }) as Record<string, unknown>;
  const allowedTop = ['apiVersion', 'kind', 'metadata', 'extends', 'spec'];
  // from the pairs themselves: looking each key up again would be quadratic in a hostile file
  for (const pair of root.items) {
    const key = scalarKey(pair);
    if (!allowedTop.includes(key))
      problems.push({
        file,
        ...position(source, pair.key as Node),
        path: key,
        message: `unknown field${suggest(key, allowedTop)}`,
        severity: 'error',
      });
  }
  if (top.apiVersion !== profileApiVersion)
    at(
      ['apiVersion'],
      `must be ${profileApiVersion}, got ${JSON.stringify(top.apiVersion ?? null)}`,
    );
  if (top.kind !== profileKind)
    at(['kind'], `must be ${profileKind}, got ${JSON.stringify(top.kind ?? null)}`);
  const metadata = (top.metadata ?? {}) as Record<string, unknown>;
  const name = metadata.name;
  if (typeof name !== 'string' || !nameRe.test(name))
    at(['metadata', 'name'], 'required: a lower-case name (letters, digits, dashes), e.g. "tuned"');
  for (const key of Object.keys(metadata)) {
    if (!['name', 'description'].includes(key))
      at(['metadata', key], `unknown field${suggest(key, ['name', 'description'])}`, 'error', true);
  }
  let ext: ProfileFile['extends'];
  if (top.extends !== undefined) {
    if (typeof top.extends !== 'string' || !top.extends)
      at(['extends'], 'must be the name or path of a base profile');
    else ext = { ref: top.extends, line: position(source, nodeAt(source, ['extends'])).line };
  }
  const values: ProfileValue[] = [];
  const extraArgs: ProfileFile['extraArgs'] = {};
  const spec = nodeAt(source, ['spec']);
  if (top.spec !== undefined && top.spec !== null) {
    if (!isMap(spec)) at(['spec'], `must be a mapping of sections (${components.join(', ')})`);
    else {
      for (const pair of spec.items) {
        const section = scalarKey(pair);
        if (!(components as readonly string[]).includes(section)) {
          at(['spec', section], `unknown section${suggest(section, components)}`, 'error', true);
          continue;
        }
        readSection(
          source,
          section as Component,
          pair.value as Node,
          ['spec', section],
          String(name),
          values,
          extraArgs,
          problems,
        );
      }
    }
  }
  return {
    name: String(name),
    description: typeof metadata.description === 'string' ? metadata.description : undefined,
    file,
    extends: ext,
    values,
    extraArgs,
  };
}

function scalarKey(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function suggest(word: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  // compare without case and separators: "serializeimagepulls" and "serialize-image-pulls" are near
  const norm = (s: string) => s.toLowerCase().replace(/[-_.]/g, '');
  const best = closest(norm(word), candidates.map(norm));
  const original = candidates.find((c) => norm(c) === best) ?? best;
  const near = distance(norm(word), best) <= Math.max(2, Math.floor(word.length / 3));
  return near
    ? `; did you mean "${original}"?`
    : `; known: ${candidates.slice(0, 8).join(', ')}${candidates.length > 8 ? ', ...' : ''}`;
}

function readSection(
  source: YamlSource,
  component: Component,
  node: Node,
  path: string[],
  profile: string,
  values: ProfileValue[],
  extraArgs: ProfileFile['extraArgs'],
  problems: Problem[],
): void {
  const at = (
    p: string[],
    message: string,
    n?: Node | null,
    severity: Problem['severity'] = 'error',
  ) =>
    problems.push({
      file: source.file,
      ...position(source, n ?? nodeAt(source, p)),
      path: p.join('.'),
      message,
      severity,
    });
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return;
  if (!isMap(node)) {
    at(path, 'must be a mapping of knob names to values', node);
    return;
  }
  const keys = catalogue.filter((k) => k.component === component).map((k) => k.key);
  // a knob written twice in two spellings (nested and dotted) would silently keep the last one
  const seen = new Map<string, { path: string; line?: number }>();
  const toJs = (n: Node | null): unknown =>
    n
      ? (n as unknown as { toJS(doc: unknown, o: object): unknown }).toJS(source.doc, {
          maxAliasCount,
        })
      : null;
  const walk = (map: typeof node, prefix: string, mapPath: string[]) => {
    for (const pair of map.items) {
      const key = scalarKey(pair);
      const full = prefix ? `${prefix}.${key}` : key;
      const keyPath = [...mapPath, key];
      const keyNode = pair.key as Node;
      if (
        !prefix &&
        key === 'extraArgs' &&
        (flagComponents as readonly string[]).includes(component)
      ) {
        readExtraArgs(
          source,
          component as FlagComponent,
          pair.value as Node,
          keyPath,
          extraArgs,
          problems,
        );
        continue;
      }
      const knob = findKnob(component, full);
      const rawValue = pair.value as Node | null;
      const valueNode = isAlias(rawValue)
        ? ((rawValue.resolve(source.doc) as Node | undefined) ?? null)
        : rawValue;
      if (knob) {
        const id = knobId(knob);
        const earlier = seen.get(id);
        // the spelling as written ("conntrack: tcpEstablishedTimeout:" or "conntrack.tcpEstablishedTimeout:")
        const spelled = keyPath
          .slice(path.length)
          .map((k) => `${k}:`)
          .join(' ');
        const here = { path: spelled, line: position(source, keyNode).line };
        if (earlier) {
          at(
            keyPath,
            `${id} is set twice in this file: as "${here.path}" here and as "${earlier.path}"${earlier.line ? ` on line ${earlier.line}` : ''}; keep one`,
            keyNode,
          );
          continue;
        }
        seen.set(id, here);
        const js = toJs(valueNode);
        let value: unknown = js;
        let reason: string | undefined;
        let valuePath = keyPath;
        if (isMap(valueNode) && misspeltValueForm(valueNode, knob.type)) {
          const obj = (js ?? {}) as Record<string, unknown>;
          for (const k of Object.keys(obj))
            if (k !== 'value' && k !== 'reason')
              at([...keyPath, k], `unknown field${suggest(k, ['value', 'reason'])}`);
          if (!('value' in obj))
            at(keyPath, 'no "value": a knob is written as its value, or as value: and reason:');
          continue;
        }
        if (isMap(valueNode) && valueNode.items.some((p) => scalarKey(p) === 'value')) {
          const obj = js as Record<string, unknown>;
          value = obj.value;
          valuePath = [...keyPath, 'value'];
          for (const k of Object.keys(obj)) {
            if (k !== 'value' && k !== 'reason')
              at([...keyPath, k], `unknown field${suggest(k, ['value', 'reason'])}`);
          }
          if (obj.reason !== undefined && typeof obj.reason !== 'string')
            at([...keyPath, 'reason'], 'must be a string');
          else reason = obj.reason as string | undefined;
        }
        const pos = position(source, nodeAt(source, valuePath));
        const problem = checkValue(knob.type, value);
        if (problem) {
          at(valuePath, problem);
          continue;
        }
        if (knob.type.kind === 'quantity-map') {
          let ok = true;
          for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            if (!knob.type.keys.includes(k)) {
              at([...valuePath, k], `unknown signal${suggest(k, knob.type.keys)}`);
              ok = false;
            } else {
              const q = checkQuantity(v);
              if (q) {
                at([...valuePath, k], q);
                ok = false;
              }
            }
          }
          if (!ok) continue;
        }
        values.push({
          knob,
          value,
          reason,
          origin: { file: source.file, ...pos, path: valuePath.join('.'), profile },
        });
      } else if (isMap(valueNode) && keys.some((k) => k.startsWith(`${full}.`))) {
        walk(valueNode, full, keyPath);
      } else {
        const elsewhere = catalogue.find((k) => k.key === full && k.component !== component);
        const hint = elsewhere
          ? `; "${full}" belongs to spec.${elsewhere.component}`
          : suggest(full, keys);
        at(keyPath, `unknown ${component} knob "${full}"${hint}`, keyNode);
      }
    }
  };
  walk(node, '', path);
}

/**
 * A mapping under a knob that is not its value: `{valeu: 5}` or `{reason: ...}` alone. Maps are
 * values only for map knobs (evictionHard), and even there `reason` or a key one edit away from
 * `value` means the value/reason form was meant.
 */
function misspeltValueForm(node: Node, type: { kind: string; keys?: readonly string[] }): boolean {
  if (!isMap(node)) return false;
  const names = node.items.map(scalarKey);
  if (names.includes('value')) return false;
  if (type.kind !== 'quantity-map') return true;
  return names.some(
    (n) => n === 'reason' || (!type.keys?.includes(n) && distance(n.toLowerCase(), 'value') <= 2),
  );
}

function readExtraArgs(
  source: YamlSource,
  component: FlagComponent,
  node: Node,
  path: string[],
  extraArgs: ProfileFile['extraArgs'],
  problems: Problem[],
): void {
  if (!isMap(node)) {
    problems.push({
      file: source.file,
      ...position(source, node),
      path: path.join('.'),
      message: 'must map flag names (without --) to values',
      severity: 'error',
    });
    return;
  }
  const out: Record<string, string> = {};
  for (const pair of node.items) {
    const key = scalarKey(pair);
    const valueNode = pair.value as Node | null;
    const value = valueNode
      ? (valueNode as unknown as { toJS(doc: unknown, o: object): unknown }).toJS(source.doc, {
          maxAliasCount,
        })
      : null;
    const known = findKnob(component, key);
    if (known) {
      problems.push({
        file: source.file,
        ...position(source, pair.key as Node),
        path: [...path, key].join('.'),
        message: `"${key}" is a known knob: set it as spec.${component}.${key} so it is checked and read back`,
        severity: 'error',
      });
      continue;
    }
    if (
      key.startsWith('-') ||
      !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(key) ||
      !['string', 'number', 'boolean'].includes(typeof value) ||
      (typeof value === 'number' && !Number.isFinite(value)) ||
      hasControl(String(value))
    ) {
      problems.push({
        file: source.file,
        ...position(source, pair.key as Node),
        path: [...path, key].join('.'),
        message:
          'flag names are letters, digits, dots and dashes without leading dashes; values are finite scalars on one line',
        severity: 'error',
      });
      continue;
    }
    out[key] = String(value);
  }
  extraArgs[component] = out;
}
