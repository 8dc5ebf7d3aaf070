/**
 * Vega-Lite spec → SVG, in Node with vega's headless renderer. Without a canvas, vega
 * estimates text widths at 0.8 em a character, which underestimates Chinese (a full em) and
 * lets labels collide: the estimate is replaced by one that knows Han characters. The source
 * note is drawn under the plot, and the SVG gets a <title> and <desc> for screen readers.
 */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { FONT, textWidth, type Sized } from './specs.ts';

type TextItem = { text?: string | string[]; fontSize?: number };

/** Replaces vega's width estimate, process-wide and once. */
let metricsSet = false;
function useCjkMetrics(): void {
  if (metricsSet) return;
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: string) => number } }).textMetrics;
  metrics.width = (item, text) => {
    const value = text ?? item.text ?? '';
    const size = item.fontSize ?? 11;
    return Math.max(0, ...(Array.isArray(value) ? value : [value]).map((t) => textWidth(String(t), size)));
  };
  metricsSet = true;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The compiled Vega spec with the source note as a text mark under the plot. */
export function vegaSpec(sized: Sized): vega.Spec {
  const spec = compile(sized.spec).spec as vega.Spec & { marks?: unknown[] };
  (spec.marks ??= []).push({
    type: 'text',
    name: 'source_note',
    encode: {
      update: {
        x: { value: -sized.axisWidth },
        y: { signal: 'height + 26' },
        text: { value: sized.sourceLines },
        fontSize: { value: sized.sourceSize },
        lineHeight: { value: sized.sourceSize + 4 },
        font: { value: FONT },
        fill: { value: '#666' },
        baseline: { value: 'top' },
        align: { value: 'left' },
      },
    },
  });
  return spec;
}

export async function renderSvg(sized: Sized, a11y: { title: string; description: string; lang: 'zh' | 'en' }): Promise<string> {
  useCjkMetrics();
  const view = new vega.View(vega.parse(vegaSpec(sized)), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const head = `<title id="chart-title">${escapeXml(a11y.title)}</title><desc id="chart-desc">${escapeXml(a11y.description)}</desc>`;
    return svg.replace(
      /^<svg([^>]*)>/,
      (_m, attrs: string) => `<svg${attrs.replace(/\s(role|aria-[a-z]+)="[^"]*"/g, '')} role="img" aria-labelledby="chart-title chart-desc" lang="${a11y.lang === 'zh' ? 'zh-CN' : 'en'}">${head}`,
    );
  } finally {
    view.finalize();
  }
}
