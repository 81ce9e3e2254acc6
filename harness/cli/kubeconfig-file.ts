import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { readInputFile } from '../util/read-input-file.ts';
import type { InputCheck } from './options.ts';

export interface KubeconfigTarget {
  path: string;
  /** Replace an existing file. */
  force?: boolean;
  /** Add the cluster to an existing kubeconfig as its own context (as kind does). */
  merge?: boolean;
}

/**
 * Checked before a cluster is brought up: a path that cannot be written would otherwise leave a
 * running cluster and exit 4; an existing file (often the user's own ~/.kube/config) is never
 * replaced without --force, or changed other than by --merge-kubeconfig.
 */
export function checkKubeconfigTarget(check: InputCheck, t: KubeconfigTarget): void {
  const opt = '--kubeconfig';
  if (!t.path.trim()) {
    check.error(opt, 'expected a file path, got nothing');
    return;
  }
  if (t.force && t.merge) check.error(opt, '--force and --merge-kubeconfig exclude each other');
  const path = resolve(t.path);
  let exists = false;
  try {
    const st = statSync(path);
    exists = true;
    if (!st.isFile()) check.error(opt, `${t.path} exists and is not a regular file`);
    else if (!t.force && !t.merge)
      check.error(
        opt,
        `${t.path} exists: add --merge-kubeconfig to add this cluster to it as a context, or --force to replace it`,
      );
    else if (t.merge) {
      const read = readInputFile(path);
      if (!read.ok) check.error(opt, read.message);
      else
        try {
          new KubeConfig().loadFromString(read.text);
        } catch (e) {
          check.error(opt, `${t.path} is not a kubeconfig to merge into: ${(e as Error).message}`);
        }
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      check.error(opt, `${t.path}: ${(e as Error).message}`);
  }
  if (t.merge && !exists) check.error(opt, `--merge-kubeconfig: ${t.path} does not exist`);
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) check.error(opt, `${dir} is not a directory`);
    else accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    check.error(
      opt,
      code === 'ENOENT'
        ? `the directory ${dir} does not exist`
        : code === 'EACCES'
          ? `cannot write in ${dir}`
          : `${dir}: ${(e as Error).message}`,
    );
  }
}

/** The cluster's admin credentials under names of its own: tuneproof-<cluster>. */
export function namedKubeconfig(kc: KubeConfig, cluster: string): KubeConfig {
  const name = `tuneproof-${cluster}`;
  const c = kc.getCurrentCluster();
  const u = kc.getCurrentUser();
  if (!c || !u) throw new Error('the cluster kubeconfig has no current cluster or user');
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: [{ ...c, name }],
    users: [{ ...u, name }],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  return out;
}

/**
 * Writes `kc` (already named by namedKubeconfig) to the target: mode 0600 always (a new file
 * under a fresh name, renamed over the old, so an existing file's 0644 does not carry over);
 * with merge, the existing file's clusters, users and contexts are kept, same-named entries
 * replaced, and the current context switched to the new cluster, as kind does.
 */
export function writeKubeconfig(t: KubeconfigTarget, kc: KubeConfig): { context: string } {
  const path = resolve(t.path);
  let config = kc;
  if (t.merge) {
    const read = readInputFile(path);
    if (!read.ok) throw new Error(read.message);
    const existing = new KubeConfig();
    existing.loadFromString(read.text);
    const names = new Set(kc.contexts.map((c) => c.name));
    const merged = new KubeConfig();
    merged.loadFromOptions({
      clusters: [...existing.clusters.filter((c) => !names.has(c.name)), ...kc.clusters],
      users: [...existing.users.filter((u) => !names.has(u.name)), ...kc.users],
      contexts: [...existing.contexts.filter((c) => !names.has(c.name)), ...kc.contexts],
      currentContext: kc.currentContext,
    });
    config = merged;
  }
  const text = stringify(JSON.parse(config.exportConfig()));
  const tmp = join(dirname(path), `.${basename(path)}.tuneproof-${process.pid}`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  return { context: kc.currentContext };
}
