import { parse, stringify } from 'smol-toml';
import { nodePaths, type RenderedNode } from '../../../harness/profiles/index.ts';
import type { KindNode } from '../node.ts';

const containerdConfig = '/etc/containerd/config.toml';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Deep merge: tables merge key by key, anything else in `over` replaces. */
export function mergeTables(base: Table, over: Table): Table {
  const out: Table = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = isTable(v) && isTable(out[k]) ? mergeTables(out[k] as Table, v) : v;
  return out;
}

/**
 * Writes the rendered files into a node. The containerd fragment is merged into the node's own
 * config.toml rather than dropped into an `imports` directory: containerd's import merge
 * replaces a plugin's whole table, so a fragment with one CRI key would wipe the image's
 * sandbox_image, runtimes and cgroup driver. Merging also works on official kindest/node images.
 */
export async function writeNodeFiles(node: KindNode, rendered: RenderedNode): Promise<void> {
  for (const [path, content] of Object.entries(rendered.files)) {
    if (path === nodePaths.containerdFragment) continue;
    const dir = path.slice(0, path.lastIndexOf('/'));
    await node.exec(['sh', '-c', `mkdir -p '${dir}' && cat > '${path}'`], { input: content });
  }
  const fragment = rendered.files[nodePaths.containerdFragment];
  if (fragment) {
    const current = parse((await node.exec(['cat', containerdConfig])).stdout);
    const merged = mergeTables(current, parse(fragment));
    await node.exec(['sh', '-c', `cat > ${containerdConfig}`], { input: stringify(merged) });
    await node.exec(['systemctl', 'restart', 'containerd']);
  }
}
