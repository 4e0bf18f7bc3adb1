import type { CanvasLike, Ctx2D } from '../../utils/canvas';
/**
 * A tiny bar-chart helper for the mini-program's 2d canvas (no chart library: the admin package
 * stays small). `layoutBars` is pure geometry (tested); `paintBars` draws a layout on any
 * CanvasRenderingContext2D-like context: the page's <canvas type="2d"> node, or an offscreen
 * canvas where the client has no node (the browser preview, older clients).
 */
export interface BarDatum {
  label: string;
  /** Any non-negative number; bars are scaled to the largest (or `max`). */
  value: number;
  /** Text above the bar ("96.53%", "¥1,234"). */
  valueText: string;
  /** Optional colour; the series colour otherwise. */
  color?: string;
}

export interface BarLayoutOptions {
  width: number;
  height: number;
  /** Fixed top of the scale (100 for percentages); default a round number above the largest. */
  max?: number;
  title?: string;
  /** The value axis's tick text, e.g. (v) => `${v}%` or a yuan amount; default the number. */
  tickText?: (value: number) => string;
  /** What the value axis measures, shown above it ("收缴率 %", "金额（元）"). */
  axisLabel?: string;
}

export interface BarRect {
  x: number;
  y: number;
  w: number;
  h: number;
  color: string;
  label: string;
  labelX: number;
  labelY: number;
  valueText: string;
  valueY: number;
}

/** A tick of the value axis: where its guide line runs and the value written beside it. */
export interface AxisTick {
  y: number;
  text: string;
}

export interface BarLayout {
  width: number;
  height: number;
  title: string;
  axisLabel: string;
  baseline: number;
  /** Where the plot starts (right of the value axis and its tick text) and ends. */
  left: number;
  right: number;
  top: number;
  bars: BarRect[];
  /** Horizontal guide lines with the value of each, from the baseline (0) up to the scale's top. */
  ticks: AxisTick[];
}

export const CHART_COLORS = ['#0e8f7e', '#3f7fd6', '#e0a43b', '#d9663c', '#b04a6f', '#6b7b78'];

const PAD = { top: 34, bottom: 30, side: 12 };
/** Room left of the plot for the tick text (11px digits). */
const AXIS_W = 46;

/**
 * A scale that reads well: its top and step are 1, 2, 2.5 or 5 × a power of ten, with at most
 * `maxTicks` steps above zero. A fixed `max` (100 for a rate) keeps its top and is split in four.
 */
export function niceScale(largest: number, fixedMax?: number, maxTicks = 4): number[] {
  if (fixedMax && fixedMax > 0) {
    return Array.from({ length: maxTicks + 1 }, (_, i) => (fixedMax * i) / maxTicks);
  }
  const top = Math.max(largest, 0);
  if (top === 0) return [0, 1];
  const raw = top / maxTicks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((st) => st * maxTicks >= top)!;
  const n = Math.ceil(top / step);
  return Array.from({ length: n + 1 }, (_, i) => Number((step * i).toPrecision(12)));
}

export function layoutBars(data: readonly BarDatum[], o: BarLayoutOptions): BarLayout {
  const left = PAD.side + AXIS_W;
  const right = o.width - PAD.side;
  const top = (o.title ? PAD.top : 18) + (o.axisLabel ? 14 : 0);
  const baseline = o.height - PAD.bottom;
  const plot = Math.max(1, baseline - top - 16);
  const scale = niceScale(Math.max(0, ...data.map((d) => d.value)), o.max);
  const max = scale[scale.length - 1]!;
  const n = Math.max(1, data.length);
  const slot = (right - left) / n;
  const w = Math.max(4, Math.min(48, slot * 0.6));
  const bars = data.map((d, i) => {
    const h = Math.max(0, (Math.min(max, Math.max(0, d.value)) / max) * plot);
    const x = left + slot * i + (slot - w) / 2;
    const y = baseline - h;
    return {
      x,
      y,
      w,
      h,
      color: d.color ?? CHART_COLORS[0]!,
      label: d.label,
      labelX: x + w / 2,
      labelY: baseline + 18,
      valueText: d.valueText,
      valueY: y - 6,
    };
  });
  const tickText = o.tickText ?? ((v: number) => String(v));
  return {
    width: o.width,
    height: o.height,
    title: o.title ?? '',
    axisLabel: o.axisLabel ?? '',
    baseline,
    left,
    right,
    top,
    bars,
    ticks: scale.map((v) => ({ y: baseline - (v / max) * plot, text: tickText(v) })),
  };
}

export function paintBars(ctx: Ctx2D, layout: BarLayout, fontScale = 1): void {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, layout.width, layout.height);
  const px = (n: number) => `${Math.round(n * fontScale)}px sans-serif`;
  if (layout.title) {
    ctx.fillStyle = '#1f2d2a';
    ctx.font = px(14);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(layout.title, PAD.side, 8);
  }
  if (layout.axisLabel) {
    ctx.fillStyle = '#6b7b78';
    ctx.font = px(10);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    ctx.fillText(layout.axisLabel, PAD.side, layout.top - 4);
  }
  ctx.lineWidth = 1;
  ctx.font = px(10);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of layout.ticks) {
    ctx.strokeStyle = '#e3e9e7';
    ctx.beginPath();
    ctx.moveTo(layout.left, t.y);
    ctx.lineTo(layout.right, t.y);
    ctx.stroke();
    ctx.fillStyle = '#6b7b78';
    ctx.fillText(t.text, layout.left - 4, t.y);
  }
  // the axes: value axis on the left, category axis on the baseline
  ctx.strokeStyle = '#9aa8a5';
  ctx.beginPath();
  ctx.moveTo(layout.left, layout.ticks[layout.ticks.length - 1]?.y ?? layout.top);
  ctx.lineTo(layout.left, layout.baseline);
  ctx.lineTo(layout.right, layout.baseline);
  ctx.stroke();
  ctx.textAlign = 'center';
  for (const b of layout.bars) {
    ctx.fillStyle = b.color;
    ctx.fillRect(b.x, b.y, b.w, Math.max(b.h, 1));
    ctx.fillStyle = '#1f2d2a';
    ctx.font = px(11);
    ctx.textBaseline = 'bottom';
    ctx.fillText(b.valueText, b.labelX, b.valueY);
    ctx.fillStyle = '#6b7b78';
    ctx.textBaseline = 'middle';
    ctx.fillText(b.label, b.labelX, b.labelY);
  }
}

type WxAsync = (o: Record<string, unknown>) => void;

/**
 * Draws a chart and returns it as a temp image path (shown with <image>, which scrolls and
 * layers like any view; a native canvas would float above the page in WeChat).
 */
export async function renderBarChart(
  getCanvas: (w: number, h: number) => Promise<CanvasLike | null>,
  data: readonly BarDatum[],
  o: BarLayoutOptions,
): Promise<string | null> {
  const ratio = Math.min(3, wx.getSystemInfoSync().pixelRatio || 2);
  const canvas = await getCanvas(o.width * ratio, o.height * ratio);
  if (!canvas) return null;
  canvas.width = o.width * ratio;
  canvas.height = o.height * ratio;
  const ctx = canvas.getContext('2d') as Ctx2D;
  ctx.setTransform?.(1, 0, 0, 1, 0, 0);
  ctx.scale(ratio, ratio);
  paintBars(ctx, layoutBars(data, o));
  return new Promise((resolve) => {
    (wx.canvasToTempFilePath as unknown as WxAsync)({
      canvas,
      fileType: 'png',
      success: (r: { tempFilePath: string }) => resolve(r.tempFilePath),
      fail: () => resolve(null),
    });
  });
}
