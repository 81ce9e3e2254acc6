import { parse, stringify } from 'smol-toml';
import type { RenderedNode } from '../../../harness/profiles/index.ts';
import { mergeToml, type TomlTable } from '../../images/containerd-config.ts';
import type { KindNode } from '../node.ts';

const containerdConfig = '/etc/containerd/config.toml';

/**
 * Writes the rendered files into a node. The containerd fragment is merged into the node's own
 * config.toml rather than dropped into an `imports` directory: containerd's import merge
 * replaces a plugin's whole table, so a fragment with one CRI key would wipe the image's
 * sandbox_image, runtimes and cgroup driver. Merging also works on official kindest/node images.
 */
export async function writeNodeFiles(
  node: KindNode,
  rendered: RenderedNode,
  containerdFragment: string,
): Promise<void> {
  for (const [path, content] of Object.entries(rendered.files)) {
    const dir = path.slice(0, path.lastIndexOf('/'));
    await node.exec(['sh', '-c', `mkdir -p '${dir}' && cat > '${path}'`], { input: content });
  }
  const current = parse((await node.exec(['cat', containerdConfig])).stdout);
  const merged = mergeToml(current as TomlTable, parse(containerdFragment) as TomlTable);
  await node.exec(['sh', '-c', `cat > ${containerdConfig}`], { input: stringify(merged) });
  await node.exec(['systemctl', 'restart', 'containerd']);
}
