import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

let chartCounter = 0;

/** Shared look of every chart: the page's font, quiet axes, no border. */
export const chartConfig = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#eceff3' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom' },
  title: { fontSize: 12, fontWeight: 'bold', anchor: 'start', offset: 6 },
} as const;

/**
 * Renders a Vega-Lite spec to a static SVG string in Node (vega's headless View, no canvas):
 * the page needs no JavaScript and no network to show it. The data must be inline.
 *
 * Vega numbers its clip paths and gradients per view, so two charts in one page would share
 * ids and clip each other; every id is prefixed with a chart number to keep them apart. Vega's
 * per-mark ARIA attributes (a label for every dot and grid line) are dropped: they make up a
 * fifth of each chart, and the figure around a chart names it for assistive technology.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({
    ...spec,
    config: { ...chartConfig, ...(spec.config ?? {}) },
  } as TopLevelSpec);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const prefix = `c${++chartCounter}-`;
    return svg
      .replace(/\bid="([^"]+)"/g, `id="${prefix}$1"`)
      .replace(/url\(#([^)]+)\)/g, `url(#${prefix}$1)`)
      .replace(/href="#([^"]+)"/g, `href="#${prefix}$1"`)
      .replace(/ (?:aria-hidden|aria-label|aria-roledescription|role|pointer-events)="[^"]*"/g, '')
      .replace(/ opacity="1"/g, '');
  } finally {
    view.finalize();
  }
}
