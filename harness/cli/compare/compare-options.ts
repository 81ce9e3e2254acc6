import { randomInt } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { scenarios as registry } from '../../../scenarios/index.ts';
import { minimumBlocks } from '../../compare/alpha-spending.ts';
import { comparisonDefaults } from '../../compare/compare-runs.ts';
import { minOneSidedP } from '../../compare/hodges-lehmann-ci.ts';
import { type NoiseFloor, readNoiseFloor } from '../../compare/noise-floor.ts';
import type { Margin } from '../../compare/primary-metric.ts';
import { ConfigError, type Problem } from '../../errors.ts';
import {
  builtinProfilesDir,
  loadProfile,
  type ResolvedProfile,
  resolveProfileRef,
} from '../../profiles/index.ts';
import { parseOverrides, resolveParameters } from '../../scenario/parameters.ts';
import { type PresetName, presetNames, type Scenario } from '../../scenario/types.ts';
import { type BaselineRuns, findBaselineRuns } from './baseline-runs.ts';
import type { ComparePlanFile, CompareRequest } from './compare-plan-file.ts';

/** The options of `tuneproof compare` as commander hands them over (strings, unparsed). */
export interface RawCompareOptions {
  profiles?: string;
  scenarios?: string;
  repeat?: string;
  preset?: string;
  calibrate?: boolean;
  baseline?: string;
  resume?: string;
  results?: string;
  set?: string[];
  noiseFloor?: string;
  maxRepeat?: string;
  margin?: string[];
  strictSlo?: boolean;
  /** Bring every cluster up with kubeadm instead of restoring a snapshot. */
  fresh?: boolean;
}

/** --repeat auto: at most this many blocks unless --max-repeat says otherwise. */
export const defaultMaxRepeat = 8;

/**
 * Runs per profile per scenario unless `--repeat` says otherwise: 4 is the fewest for which a
 * two-sided Mann-Whitney test can reach p < 0.05 at all (4 vs 4 runs: smallest p = 2/70 = 0.029;
 * 3 vs 3 runs: 2/20 = 0.1, so every metric would be "insufficient runs").
 */
export const defaultRepeat = 4;

/** A checked comparison request with everything it refers to loaded. */
export interface CompareSetup {
  request: CompareRequest;
  /** In request order; the first is the baseline profile. */
  profiles: ResolvedProfile[];
  scenarios: Scenario[];
  /** Resolved parameters per scenario name (preset, then --set). */
  params: Map<string, unknown>;
  noiseFloor?: NoiseFloor;
  /** With --baseline: the runs of the earlier directory that stand in for the baseline. */
  baseline?: BaselineRuns;
  /** Not errors, but worth saying before an hour of runs (e.g. too few runs for a verdict). */
  warnings: string[];
}

export interface CompareContext {
  cwd?: string;
  /** Scenario registry (tests pass their own). */
  scenarios?: Record<string, Scenario>;
  /**
   * Resume only: look the baseline's runs up again. A comparison that already copied them into
   * its own directory does not need the baseline directory any more.
   */
  lookUpBaseline?: boolean;
}

const list = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const error = (path: string, message: string): Problem => ({ path, message, severity: 'error' });

function builtinProfileNames(): string[] {
  try {
    return readdirSync(builtinProfilesDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => f.replace(/\.ya?ml$/, ''))
      .sort();
  } catch {
    return [];
  }
}

/** More runs than anyone waits for (1000 x 2 profiles x minutes each is weeks). */
export const maxRepeat = 1000;

/**
 * Checks every option of a new comparison and loads what they name; one ConfigError lists every
 * problem, each with the option it is about (`--profiles`, `--repeat`, `apiserver-load.rate`...).
 */
export function parseCompareOptions(
  raw: RawCompareOptions,
  ctx: CompareContext = {},
): CompareSetup {
  const cwd = ctx.cwd ?? process.cwd();
  const known = ctx.scenarios ?? registry;
  const problems: Problem[] = [];

  const profileRefs = list(raw.profiles);
  const profileFiles: string[] = [];
  if (profileRefs.length === 0) {
    problems.push(
      error('--profiles', 'name the profiles to compare, e.g. --profiles default,tuned'),
    );
  }
  for (const ref of profileRefs) {
    const file = resolveProfileRef(ref, [cwd]);
    if (file) profileFiles.push(file);
    else {
      problems.push(
        error(
          '--profiles',
          `unknown profile "${ref}": no ${ref}.yaml in ${cwd} and no such file; built-in profiles: ${builtinProfileNames().join(', ')}`,
        ),
      );
    }
  }
  if (new Set(profileRefs).size !== profileRefs.length) {
    problems.push(error('--profiles', `a profile is named twice: ${profileRefs.join(', ')}`));
  }

  const scenarioNames = list(raw.scenarios ?? 'all');
  const selected = scenarioNames.includes('all') ? Object.keys(known) : scenarioNames;
  if (scenarioNames.length === 0)
    problems.push(error('--scenarios', 'name at least one scenario, or all'));
  for (const name of selected) {
    if (!known[name]) {
      problems.push(
        error('--scenarios', `unknown scenario "${name}"; known: ${Object.keys(known).join(', ')}`),
      );
    }
  }
  if (new Set(selected).size !== selected.length) {
    problems.push(error('--scenarios', `a scenario is named twice: ${selected.join(', ')}`));
  }

  const repeatText = raw.repeat ?? String(defaultRepeat);
  const autoRepeat = repeatText.trim() === 'auto';
  const maxText = raw.maxRepeat ?? String(defaultMaxRepeat);
  const autoMax = /^\d+$/.test(maxText.trim()) ? Number(maxText) : Number.NaN;
  if (raw.maxRepeat !== undefined && !autoRepeat)
    problems.push(error('--max-repeat', 'only with --repeat auto'));
  if (autoRepeat && !(autoMax >= defaultRepeat && autoMax <= maxRepeat))
    problems.push(
      error(
        '--max-repeat',
        `must be a whole number from ${defaultRepeat} to ${maxRepeat}, got "${maxText.slice(0, 40)}"`,
      ),
    );
  const repeat = autoRepeat
    ? autoMax
    : /^\d+$/.test(repeatText.trim())
      ? Number(repeatText)
      : Number.NaN;
  // bounded before anything loops over it: each run is a fresh cluster of minutes
  if (!autoRepeat && !(repeat >= 1))
    problems.push(
      error('--repeat', `must be a whole number >= 1 or auto, got "${repeatText.slice(0, 40)}"`),
    );
  else if (!autoRepeat && repeat > maxRepeat)
    problems.push(
      error('--repeat', `must be at most ${maxRepeat}, got "${repeatText.slice(0, 40)}"`),
    );
  const margins = parseMargins(raw.margin ?? [], problems);

  const preset = raw.preset ?? 'smoke';
  if (!(presetNames as readonly string[]).includes(preset)) {
    problems.push(
      error('--preset', `unknown preset "${preset}"; known: ${presetNames.join(', ')}`),
    );
  }

  const calibrate = raw.calibrate === true;
  if (calibrate && raw.noiseFloor !== undefined) {
    problems.push(
      error(
        '--noise-floor',
        'cannot be combined with --calibrate: --calibrate measures a noise floor, --noise-floor applies an earlier one',
      ),
    );
  }
  if (raw.baseline !== undefined && profileRefs.length < 2) {
    problems.push(
      error(
        '--profiles',
        'with --baseline, name the baseline profile (whose runs come from the baseline directory) and the profiles to run, e.g. --profiles default,tuned',
      ),
    );
  } else if (raw.baseline === undefined && profileRefs.length === 1 && !calibrate) {
    problems.push(
      error(
        '--profiles',
        `name two profiles to compare (e.g. --profiles ${profileRefs[0]},tuned), or one with --calibrate for an A/A calibration`,
      ),
    );
  }

  const request: CompareRequest = {
    profiles: profileRefs,
    profileFiles,
    scenarios: selected,
    repeat,
    preset: preset as PresetName,
    calibrate,
    set: raw.set ?? [],
    ...(raw.baseline === undefined ? {} : { baseline: resolve(cwd, raw.baseline) }),
    ...(raw.noiseFloor === undefined ? {} : { noiseFloor: resolve(cwd, raw.noiseFloor) }),
    ...(autoRepeat && autoMax >= defaultRepeat && autoMax <= maxRepeat
      ? { auto: { minBlocks: autoMinimum(selected, known, autoMax), maxBlocks: autoMax } }
      : {}),
    seed: randomInt(2 ** 31 - 1),
    margins,
    strictSlo: raw.strictSlo === true,
  };
  // the rest needs names that resolved: check it only when those did, so one typo gives one problem
  const resolved = profileFiles.length === profileRefs.length && selected.every((s) => known[s]);
  return checkRequest(request, known, problems, { resolved, lookUpBaseline: true });
}

/** The options that fix what a comparison is; `--resume` takes them from plan.json. */
export const resumeFixedOptions = [
  'profiles',
  'scenarios',
  'repeat',
  'preset',
  'calibrate',
  'baseline',
  'set',
  'noiseFloor',
  'margin',
  'strictSlo',
] as const;

const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * The setup of a comparison being resumed, from its plan.json. Options given again must agree
 * with it (a resumed comparison that changed its profiles or parameters would compare runs of
 * two different experiments); profiles must still have the digests they started with.
 */
export function resumeCompareOptions(
  plan: ComparePlanFile,
  raw: RawCompareOptions,
  given: ReadonlySet<string>,
  ctx: CompareContext = {},
): CompareSetup {
  const known = ctx.scenarios ?? registry;
  const problems: Problem[] = [];
  const planned = plan.request;
  const asGiven: Record<(typeof resumeFixedOptions)[number], unknown> = {
    profiles: list(raw.profiles),
    scenarios: list(raw.scenarios).includes('all') ? Object.keys(known) : list(raw.scenarios),
    repeat: Number(raw.repeat),
    preset: raw.preset,
    calibrate: raw.calibrate === true,
    baseline:
      raw.baseline === undefined ? undefined : resolve(ctx.cwd ?? process.cwd(), raw.baseline),
    set: raw.set ?? [],
    noiseFloor:
      raw.noiseFloor === undefined ? undefined : resolve(ctx.cwd ?? process.cwd(), raw.noiseFloor),
    margin: parseMargins(raw.margin ?? [], []),
    strictSlo: raw.strictSlo === true,
  };
  for (const key of resumeFixedOptions) {
    if (!given.has(key)) continue;
    const stored = key === 'margin' ? planned.margins : planned[key];
    if (key === 'repeat' && planned.auto && raw.repeat === 'auto') continue;
    if (JSON.stringify(asGiven[key]) !== JSON.stringify(stored)) {
      problems.push(
        error(
          flag(key),
          `differs from the comparison being resumed (${JSON.stringify(stored ?? null)}); leave it out to resume, or start a new comparison`,
        ),
      );
    }
  }
  let setup: CompareSetup;
  try {
    setup = checkRequest(planned, known, problems, {
      resolved: true,
      lookUpBaseline: ctx.lookUpBaseline ?? false,
    });
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError('tuneproof compare --resume', e.problems);
    throw e;
  }
  for (const [i, p] of setup.profiles.entries()) {
    const started = plan.profiles[i];
    if (started && started.digest !== p.digest) {
      problems.push(
        error(
          '--resume',
          `profile ${p.name} (${started.file}) changed since the comparison started (digest ${started.digest.slice(0, 19)}… is now ${p.digest.slice(0, 19)}…): its runs so far tested the old values; start a new comparison`,
        ),
      );
    }
  }
  if (problems.some((p) => p.severity === 'error'))
    throw new ConfigError('tuneproof compare --resume', problems);
  return setup;
}

/** Loads and checks what a request names; throws one ConfigError with `problems` and its own. */
function checkRequest(
  request: CompareRequest,
  known: Record<string, Scenario>,
  problems: Problem[],
  opts: { resolved: boolean; lookUpBaseline: boolean },
): CompareSetup {
  const { resolved } = opts;
  const warnings: string[] = [];
  const profiles: ResolvedProfile[] = [];
  const scenarios: Scenario[] = [];
  const params = new Map<string, unknown>();
  let noiseFloor: NoiseFloor | undefined;
  let baseline: BaselineRuns | undefined;

  for (const file of request.profileFiles) {
    try {
      const loaded = loadProfile(file);
      profiles.push(loaded.profile);
      for (const w of loaded.warnings)
        warnings.push(`profile ${loaded.profile.name}: ${w.path}: ${w.message}`);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(
        ...e.problems.map((p) => ({ ...p, path: p.path ? `--profiles ${p.path}` : '--profiles' })),
      );
    }
  }
  const names = profiles.map((p) => p.name);
  // two different files can declare the same name (a profile named twice is reported already)
  if (
    new Set(names).size !== names.length &&
    new Set(request.profiles).size === request.profiles.length
  ) {
    problems.push(error('--profiles', `two profiles have the same name: ${names.join(', ')}`));
  }

  for (const name of request.scenarios) {
    const s = known[name];
    if (s) scenarios.push(s);
    else if (resolved)
      problems.push(
        error('--scenarios', `unknown scenario "${name}"; known: ${Object.keys(known).join(', ')}`),
      );
  }

  // parameters are checked for every scenario that exists, whatever else is wrong
  if ((presetNames as readonly string[]).includes(request.preset)) {
    const overrides = splitOverrides(request.set, request.scenarios, Object.keys(known), problems);
    for (const s of scenarios) {
      try {
        params.set(
          s.name,
          resolveParameters(s, request.preset, {
            ...overrides.common,
            ...overrides.scoped.get(s.name),
          }),
        );
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        problems.push(
          ...e.problems.map((p) => ({
            ...p,
            path: p.path ? `${s.name}.${p.path}` : s.name,
            message: `${p.message} (preset ${request.preset}${request.set.length ? ` with --set ${request.set.join(' ')}` : ''}${
              /unrecognized key/i.test(p.message) && scenarios.length > 1
                ? `; for one scenario only: --set ${s.name}.<key>=<value>`
                : ''
            })`,
          })),
        );
      }
    }
  }

  if (request.noiseFloor !== undefined && !request.calibrate) {
    try {
      noiseFloor = readNoiseFloor(request.noiseFloor);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(
        ...e.problems.map((p) => ({
          ...p,
          path: p.path ? `--noise-floor ${p.path}` : '--noise-floor',
        })),
      );
    }
  }

  if (request.baseline !== undefined && opts.lookUpBaseline && resolved && problems.length === 0) {
    baseline = findBaselineRuns(request.baseline, {
      profile: profiles[0]?.name ?? request.profiles[0] ?? '',
      scenarios: request.scenarios,
      preset: request.preset,
      params,
    });
    problems.push(...baseline.problems);
    const digest = profiles[0]?.digest;
    for (const [scenario, runs] of baseline.byScenario) {
      if (digest && runs.some((r) => r.run.profile.digest !== digest)) {
        warnings.push(
          `baseline ${scenario}: the baseline directory's runs of ${profiles[0]?.name} used other values of that profile than ${request.profileFiles[0]} has now (the runs are compared as they are)`,
        );
      }
    }
  }

  if (
    Number.isInteger(request.repeat) &&
    request.repeat >= 1 &&
    request.repeat <= maxRepeat &&
    !request.auto
  ) {
    for (const s of request.scenarios) {
      const baselineRuns = baseline?.byScenario.get(s)?.length ?? request.repeat;
      const candidates = request.profiles.length > 1 || request.baseline !== undefined;
      const n1 = candidates ? baselineRuns : request.repeat;
      // Holm's first step tests the scenario's k primaries at alpha / k, one-sided
      const k = known[s]?.verdicts?.primaries.length ?? 1;
      const minP = minOneSidedP(n1, request.repeat);
      if (minP > comparisonDefaults.alpha / k) {
        warnings.push(
          `${s}: with ${n1} vs ${request.repeat} runs the smallest possible p-value is ${minP.toFixed(3)} (one-sided), above the ${(comparisonDefaults.alpha / k).toFixed(3)} Holm needs for the first of ${k} primary metrics: every primary will be "inconclusive: too few runs" (--repeat ${defaultRepeat} or more can decide)`,
        );
        break;
      }
    }
  }

  if (problems.some((p) => p.severity === 'error'))
    throw new ConfigError('tuneproof compare', problems);
  return {
    request,
    profiles,
    scenarios,
    params,
    ...(noiseFloor ? { noiseFloor } : {}),
    ...(baseline ? { baseline } : {}),
    warnings,
  };
}

/**
 * `--set key=value` applies to every scenario of the comparison; `--set scenario.key=value` to
 * that scenario only.
 */
function splitOverrides(
  set: readonly string[],
  selected: readonly string[],
  knownNames: readonly string[],
  problems: Problem[],
): { common: Record<string, unknown>; scoped: Map<string, Record<string, unknown>> } {
  const common: Record<string, unknown> = {};
  const scoped = new Map<string, Record<string, unknown>>();
  let parsed: Record<string, unknown>;
  try {
    parsed = parseOverrides(set);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
    return { common, scoped };
  }
  for (const [key, value] of Object.entries(parsed)) {
    const dot = key.indexOf('.');
    const scope = dot > 0 ? key.slice(0, dot) : undefined;
    if (scope && knownNames.includes(scope)) {
      if (!selected.includes(scope)) {
        problems.push(error('--set', `${key}: scenario ${scope} is not part of this comparison`));
        continue;
      }
      const entry = scoped.get(scope) ?? {};
      entry[key.slice(dot + 1)] = value;
      scoped.set(scope, entry);
    } else common[key] = value;
  }
  return { common, scoped };
}

/**
 * `--margin metric=value`: a margin replacing the scenario's for this comparison. `10%` is
 * relative to the baseline's median, a plain number absolute in the metric's unit; both may be
 * given, comma-separated: `--margin unreachable.time_to_not_ready=10%,2`.
 */
export function parseMargins(
  texts: readonly string[],
  problems: Problem[],
): Record<string, Margin> {
  const out: Record<string, Margin> = {};
  for (const text of texts) {
    const eq = text.lastIndexOf('=');
    const key = eq > 0 ? text.slice(0, eq).trim() : '';
    const parts =
      eq > 0
        ? text
            .slice(eq + 1)
            .split(',')
            .map((p) => p.trim())
        : [];
    const margin: { relative?: number; absolute?: number } = {};
    let ok = key !== '' && parts.length > 0;
    for (const part of parts) {
      const pct = /^(\d+(?:\.\d+)?)%$/.exec(part);
      const abs = /^\d+(?:\.\d+)?$/.test(part) ? Number(part) : undefined;
      if (pct && margin.relative === undefined) margin.relative = Number(pct[1]) / 100;
      else if (abs !== undefined && margin.absolute === undefined) margin.absolute = abs;
      else ok = false;
    }
    if (!ok)
      problems.push(
        error(
          '--margin',
          `"${text}": expected metric=value with value a percentage of the baseline's median (10%), an absolute amount in the metric's unit (2), or both (10%,2)`,
        ),
      );
    else out[key] = margin;
  }
  return out;
}

/**
 * --repeat auto's first look: the fewest blocks at which every selected scenario's primaries can
 * all be decided under the alpha-spending plan (alpha-spending.ts), at least the default 4.
 */
function autoMinimum(
  selected: readonly string[],
  known: Record<string, Scenario>,
  maxBlocks: number,
): number {
  const primaries = Math.max(1, ...selected.map((s) => known[s]?.verdicts?.primaries.length ?? 1));
  return minimumBlocks(comparisonDefaults.alpha, primaries, maxBlocks, defaultRepeat);
}
