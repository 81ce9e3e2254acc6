import type { EffectiveConfigEntry } from '../results/schema.ts';

type Status = EffectiveConfigEntry['status'];

/** What one side's runs read back for one knob (values as compact JSON, distinct, sorted). */
export interface ConfigSideView {
  desired: string[];
  observed: string[];
  /** Every status seen, worst first. */
  statuses: Status[];
  notes: string[];
  /** Pods on the node see another value than the profile's (EffectiveConfigEntry.inPods). */
  podsDiffer?: boolean;
}

export interface ConfigDiffRow {
  component: string;
  key: string;
  scope: EffectiveConfigEntry['scope'];
  node?: string;
  /** One per side, in the order the sides were given; undefined where a side lacks the knob. */
  sides: (ConfigSideView | undefined)[];
  /** Desired or observed values differ between sides. */
  valuesDiffer: boolean;
  /**
   * Some side reports 'differs' or 'not-applicable', or its pods see another value: the tuning
   * did not (or cannot) take where it matters.
   */
  attention: boolean;
}

const severity: Record<Status, number> = {
  differs: 0,
  'not-applicable': 1,
  unverified: 2,
  applied: 3,
};

const show = (v: unknown) => (v === undefined ? '(not read)' : (JSON.stringify(v) ?? String(v)));

/**
 * The effective-config difference between sides: per knob (component, key, node), what each
 * side's runs asked for and read back. Rows are kept when the sides' values differ or when any
 * side reports the knob as 'differs' / 'not-applicable'; knobs equal and applied everywhere are
 * noise for a reader and are left out (`all` keeps them).
 */
export function configDiff(
  sides: readonly (readonly EffectiveConfigEntry[])[],
  options: { all?: boolean } = {},
): ConfigDiffRow[] {
  const rows = new Map<string, ConfigDiffRow>();
  sides.forEach((entries, i) => {
    for (const e of entries) {
      const id = JSON.stringify([e.component, e.key, e.node ?? null]);
      let row = rows.get(id);
      if (!row) {
        row = {
          component: e.component,
          key: e.key,
          scope: e.scope,
          ...(e.node === undefined ? {} : { node: e.node }),
          sides: sides.map(() => undefined),
          valuesDiffer: false,
          attention: false,
        };
        rows.set(id, row);
      }
      const view = row.sides[i] ?? { desired: [], observed: [], statuses: [], notes: [] };
      addUnique(view.desired, show(e.desired));
      addUnique(view.observed, show(e.observed));
      if (!view.statuses.includes(e.status)) view.statuses.push(e.status);
      if (e.note) addUnique(view.notes, e.note);
      if (e.inPods) {
        addUnique(view.notes, `in pods: ${show(e.inPods.observed)} (${e.inPods.status})`);
        if (e.inPods.status === 'differs') view.podsDiffer = true;
      }
      view.statuses.sort((a, b) => severity[a] - severity[b]);
      row.sides[i] = view;
    }
  });
  const out: ConfigDiffRow[] = [];
  for (const row of rows.values()) {
    const views = row.sides;
    const sig = (v: ConfigSideView | undefined) =>
      v ? JSON.stringify([v.desired, v.observed]) : '';
    row.valuesDiffer = views.some((v) => sig(v) !== sig(views[0]));
    row.attention = views.some(
      (v) =>
        v?.podsDiffer === true ||
        v?.statuses.some((s) => s === 'differs' || s === 'not-applicable'),
    );
    if (options.all || row.valuesDiffer || row.attention) out.push(row);
  }
  return out.sort(
    (x, y) =>
      Number(y.attention) - Number(x.attention) ||
      x.component.localeCompare(y.component) ||
      x.key.localeCompare(y.key) ||
      (x.node ?? '').localeCompare(y.node ?? ''),
  );
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) {
    list.push(value);
    list.sort();
  }
}
