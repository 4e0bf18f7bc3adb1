/**
 * Paints the expense chart (horizontal bars by category, laid out by `barChartLayout` in the
 * domain) on a `<canvas type="2d">`: the standard Canvas 2D API that WeChat and the browser
 * preview share. The canvas is sized to the layout times the pixel ratio for sharp text.
 */
import { barChartLayout, type CategoryTotal } from '../domain/disclosure/rules';

/** The part of CanvasRenderingContext2D used here. */
export interface ChartCtx {
  fillStyle: unknown;
  font: string;
  textAlign: string;
  textBaseline: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  scale(x: number, y: number): void;
  setTransform?(a: number, b: number, c: number, d: number, e: number, f: number): void;
}

export interface ChartCanvas {
  width: number;
  height: number;
  getContext(type: '2d'): ChartCtx | null;
}

const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

/** Draws the chart; returns the CSS height the canvas element needs. */
export function paintExpenseChart(
  canvas: ChartCanvas,
  categories: readonly Pick<CategoryTotal, 'label' | 'color' | 'amountFen' | 'shareText'>[],
  opts: { width: number; pixelRatio: number; elder?: boolean },
): number {
  const scale = opts.elder ? 1.25 : 1;
  const layout = barChartLayout(categories, {
    width: opts.width,
    rowHeight: Math.round(34 * scale),
    labelWidth: Math.round(112 * scale),
    valueWidth: Math.round(124 * scale),
  });
  const dpr = opts.pixelRatio;
  canvas.width = Math.round(layout.width * dpr);
  canvas.height = Math.round(layout.height * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return layout.height;
  if (ctx.setTransform) ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.scale(dpr, dpr);
  ctx.textBaseline = 'middle';
  const fontSize = Math.round(13 * scale);
  for (const row of layout.rows) {
    ctx.fillStyle = '#1f2d2b';
    ctx.font = `${fontSize}px ${FONT}`;
    ctx.textAlign = 'left';
    ctx.fillText(row.label, 0, row.labelY);
    ctx.fillStyle = '#eef3f1';
    ctx.fillRect(row.x, row.y, layout.barSpace, row.height);
    ctx.fillStyle = row.color;
    ctx.fillRect(row.x, row.y, row.width, row.height);
    ctx.fillStyle = '#566663';
    ctx.textAlign = 'right';
    ctx.font = `${Math.round(12 * scale)}px ${FONT}`;
    ctx.fillText(row.valueText, layout.width, row.labelY);
  }
  return layout.height;
}
