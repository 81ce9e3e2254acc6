import type { Command } from 'commander';
import { buildImages, cleanImages, listImages } from '../../../clusters/images/index.ts';
import { formatTable } from '../../util/table.ts';
import { InputCheck, outputFormat, printStructured } from '../options.ts';

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

/** `tuneproof images build|list|clean`: the offline (hermetic) images. */
export function registerImagesCommands(program: Command): void {
  const images = program
    .command('images')
    .description(
      "Build, list and remove tuneproof's own images (for hosts without a container registry)",
    );

  images
    .command('build')
    .description(
      'Build the node image and workload images from Debian packages and Go modules (cached; a warm build is a no-op)',
    )
    .option('--force', 'rebuild every image even when its recipe is unchanged')
    .option('--refresh-rootfs', 're-run debootstrap to pick up Debian updates')
    .option(
      '--debian-mirror <url>',
      'Debian mirror for the rootfs builds (default: $TUNEPROOF_DEBIAN_MIRROR, else the one apt uses)',
    )
    .option('--no-workloads', 'only the node image')
    .option('--json', 'print what was built as JSON (refs and digests)')
    .action(
      async (opts: {
        force?: boolean;
        refreshRootfs?: boolean;
        debianMirror?: string;
        workloads: boolean;
        json?: boolean;
      }) => {
        const built = await buildImages({
          force: opts.force,
          refreshRootfs: opts.refreshRootfs,
          debianMirror: opts.debianMirror,
          workloads: opts.workloads,
        });
        if (opts.json) return out(JSON.stringify(built.records, null, 2));
        const fresh = [built.node, ...built.node.preloaded, ...built.workloads].filter(
          (i) => i.built,
        ).length;
        out(
          formatTable(
            ['role', 'image', 'id'],
            built.records.map((r) => [
              r.role,
              r.ref,
              (r.digest ?? '').replace(/^sha256:/, '').slice(0, 12),
            ]),
          ),
        );
        out(`node image ${built.node.ref}: ${megabytes(built.node.size)}`);
        out(
          `${fresh === 0 ? 'all images up to date' : `${fresh} images built`} in ${built.seconds.toFixed(1)}s`,
        );
      },
    );

  images
    .command('list')
    .description("tuneproof's images in Docker")
    .option('-o, --output <format>', 'table (default), json or yaml')
    .option('--json', 'same as -o json')
    .action(async (opts: { json?: boolean; output?: string }) => {
      const check = new InputCheck();
      const format = outputFormat(check, opts);
      check.done('tuneproof images list');
      const rows = await listImages();
      if (format !== 'table') return printStructured(format, rows);
      if (rows.length === 0)
        return out('no tuneproof images (build them with: tuneproof images build)');
      out(
        formatTable(
          ['image', 'kind', 'id', 'size', 'created'],
          rows.map((r) => [
            r.ref,
            r.kind,
            r.id.replace(/^sha256:/, '').slice(0, 12),
            megabytes(r.sizeBytes),
            r.created,
          ]),
        ),
      );
    });

  images
    .command('clean')
    .description("Remove tuneproof's images from Docker (binaries stay cached)")
    .option('--cache', 'also delete the cached Debian rootfs tarballs')
    .action(async (opts: { cache?: boolean }) => {
      const r = await cleanImages({ cache: opts.cache });
      out(
        `removed ${r.removed.length} images${r.kept.length ? `, kept ${r.kept.length} still in use: ${r.kept.join(', ')}` : ''}`,
      );
    });
}
