/**
 * The receipt as a picture (保存图片): drawn with the standard Canvas 2D API, which WeChat's
 * `<canvas type="2d">` and the browser share. One function lays out and (unless measuring)
 * paints, so the canvas can be sized to the content before painting.
 */
import type { CanvasLike, Ctx2D } from './canvas';
import type { ReceiptDocView } from './receipt-view';

/** Logical width of the picture (CSS px); the canvas is this times the pixel ratio. */
export const RECEIPT_WIDTH = 375;

const INK = '#1f2d2b';
const MUTED = '#566663';
const FAINT = '#8d9b98';
const RULE = '#b9c7c3';
const BRAND = '#0a6f62';
const SEAL = '#d0342c';
const PAPER = '#fffdf7';
const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

function font(size: number, bold = false): string {
  return `${bold ? 'bold ' : ''}${size}px ${FONT}`;
}

/** Lines of at most `max` px (Chinese text breaks between any two characters). */
export function wrapText(ctx: Ctx2D, text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of Array.from(text)) {
    if (line && ctx.measureText(line + ch).width > max) {
      lines.push(line);
      line = ch;
    } else {
      line += ch;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * Lay out the receipt's content from the top; paints unless `measureOnly`. Returns the height
 * the paper needs (px), so a caller measures once, sizes the canvas, paints the paper
 * (`drawPaper`), then the content.
 */
export function drawReceipt(
  ctx: Ctx2D,
  r: ReceiptDocView,
  opts: { width?: number; measureOnly?: boolean } = {},
): number {
  const W = opts.width ?? RECEIPT_WIDTH;
  const paint = !opts.measureOnly;
  const M = 16; // paper margin
  const P = 20; // padding inside the border
  const left = M + P;
  const right = W - M - P;
  const inner = right - left;
  let y = M + P;

  const text = (
    s: string,
    x: number,
    size: number,
    color: string,
    align: 'left' | 'center' | 'right' = 'left',
    bold = false,
  ) => {
    if (!paint) return;
    ctx.font = font(size, bold);
    ctx.fillStyle = color;
    ctx.textAlign = align;
    ctx.fillText(s, x, y);
  };
  const rule = (y0: number, color = RULE, width = 1) => {
    if (!paint) return;
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(left, y0);
    ctx.lineTo(right, y0);
    ctx.stroke();
  };
  /** label: value, the value wrapping under itself (short of `reserve` px on the right). */
  const field = (label: string, value: string, reserve = 0) => {
    const labelW = 76;
    ctx.font = font(13);
    const lines = wrapText(ctx, value || '—', inner - labelW - reserve);
    text(label, left, 13, MUTED);
    lines.forEach((l, i) => {
      if (i > 0) y += 19;
      text(l, left + labelW, 13, INK);
    });
    y += 24;
  };

  if (paint) ctx.textBaseline = 'top';
  // heading
  const headingTop = y;
  y += 4;
  text(r.communityName, W / 2, 14, MUTED, 'center');
  y += 24;
  text('物业服务费电子收据', W / 2, 21, BRAND, 'center', true);
  y += 34;
  rule(y, BRAND, 1.5);
  rule(y + 3, BRAND, 0.5);
  y += 14;
  text(r.timeText, left, 12, MUTED);
  text(`No. ${r.receiptNo}`, right, 13, SEAL, 'right', true);
  y += 28;

  field('交 款 人', r.payer);
  field('房    屋', r.roomsText);

  // the table: item (with room) | period | amount
  const colPeriod = left + inner * 0.52;
  const colAmount = right;
  rule(y - 6);
  text('收费项目', left, 12, FAINT);
  text('账期', colPeriod, 12, FAINT);
  text('金额', colAmount, 12, FAINT, 'right');
  y += 22;
  rule(y - 6);
  for (const line of r.lines) {
    ctx.font = font(13);
    const titleLines = wrapText(ctx, line.title, colPeriod - left - 8);
    const top = y;
    titleLines.forEach((l, i) => {
      if (i > 0) y += 18;
      text(l, left, 13, INK);
    });
    y += 18;
    text(line.roomLabel, left, 11, FAINT);
    const rowEnd = y + 16;
    y = top;
    text(line.periodText, colPeriod, 13, INK);
    text(line.amountText, colAmount, 13, INK, 'right');
    y = rowEnd + 8;
  }
  if (r.hasPrepaid) {
    text('预存款', left, 13, INK);
    text('—', colPeriod, 13, FAINT);
    text(r.prepaidText, colAmount, 13, INK, 'right');
    y += 18;
    text(r.prepaidNote, left, 11, FAINT);
    y += 24;
  }
  rule(y - 6);
  y += 4;
  text('合计（小写）', left, 13, MUTED);
  text(r.amountFigures, colAmount, 16, INK, 'right', true);
  y += 26;
  ctx.font = font(14, true);
  const capital = wrapText(ctx, r.amountCapital, inner - 92);
  text('合计（大写）', left, 13, MUTED);
  capital.forEach((l, i) => {
    if (i > 0) y += 20;
    text(l, colAmount, 14, INK, 'right', true);
  });
  y += 26;
  rule(y - 6);
  y += 8;

  // the sign-off, with room on the right for the seal
  // (the seal may reach into the padding, up to the border)
  const SEAL_R = 48;
  const sealX = right - SEAL_R + 8;
  const reserve = right - (sealX - SEAL_R) + 4;
  const signoffTop = y;
  field('收款方式', r.channelText, reserve);
  if (r.reference) field('交易参考号', r.reference, reserve);
  field('收款单位', r.issuer, reserve);
  if (r.cashier) field('收 款 人', r.cashier, reserve);
  const sealCenterY = Math.max(signoffTop + SEAL_R - 6, (signoffTop + y) / 2 - 6);
  y = Math.max(y, sealCenterY + SEAL_R + 6) + 6;
  text(
    '本收据为缴费凭证，请妥善保管；如需发票，请在小程序收据页申请。',
    W / 2,
    10,
    FAINT,
    'center',
  );
  y += 16;
  const bottom = y + P;

  if (paint) drawSeal(ctx, sealX, sealCenterY, SEAL_R, r.issuer);
  if (paint && r.reversed) drawVoidStamp(ctx, W / 2, (headingTop + bottom) / 2);
  return bottom + M;
}

/** The paper with its double border, painted before the content. */
export function drawPaper(ctx: Ctx2D, width: number, height: number): void {
  const M = 16;
  ctx.fillStyle = '#f2f5f4';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = PAPER;
  ctx.fillRect(M, M, width - 2 * M, height - 2 * M);
  ctx.strokeStyle = BRAND;
  ctx.lineWidth = 1.5;
  ctx.strokeRect(M + 6, M + 6, width - 2 * M - 12, height - 2 * M - 12);
  ctx.lineWidth = 0.5;
  ctx.strokeRect(M + 9, M + 9, width - 2 * M - 18, height - 2 * M - 18);
}

/** Starts a red stamp: centred on (cx, cy), tilted; the caller draws it and restores. */
function beginStamp(ctx: Ctx2D, cx: number, cy: number, tilt: number, lineWidth: number): void {
  ctx.save();
  ctx.translate(cx, cy);
  ctx.rotate(tilt);
  ctx.strokeStyle = SEAL;
  ctx.fillStyle = SEAL;
  ctx.lineWidth = lineWidth;
}

/** A round red seal: curved issuer name, a star, and 收费专用章. */
export function drawSeal(ctx: Ctx2D, cx: number, cy: number, radius: number, issuer: string) {
  beginStamp(ctx, cx, cy, -0.2, 2.5);
  ctx.beginPath();
  ctx.arc(0, 0, radius, 0, Math.PI * 2);
  ctx.stroke();
  ctx.lineWidth = 0.8;
  ctx.beginPath();
  ctx.arc(0, 0, radius - 5, 0, Math.PI * 2);
  ctx.stroke();
  // the star
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? 12 : 5;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    if (i === 0) ctx.moveTo(r * Math.cos(a), r * Math.sin(a));
    else ctx.lineTo(r * Math.cos(a), r * Math.sin(a));
  }
  ctx.closePath();
  ctx.fill();
  // the issuer's name along the upper arc
  const chars = Array.from(issuer).slice(0, 14);
  const span = Math.min(Math.PI * 1.25, chars.length * 0.3);
  ctx.font = font(10, true);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  chars.forEach((ch, i) => {
    const a = -Math.PI / 2 - span / 2 + (span * (i + 0.5)) / chars.length;
    ctx.save();
    ctx.rotate(a + Math.PI / 2);
    ctx.fillText(ch, 0, -(radius - 15));
    ctx.restore();
  });
  ctx.font = font(9, true);
  ctx.fillText('收费专用章', 0, radius * 0.45);
  ctx.restore();
}

function drawVoidStamp(ctx: Ctx2D, cx: number, cy: number): void {
  beginStamp(ctx, cx, cy, -0.35, 3);
  ctx.strokeRect(-70, -26, 140, 52);
  ctx.font = font(28, true);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('已冲红', 0, 0);
  ctx.restore();
}

/**
 * Measure, size and paint: `canvas` is WeChat's canvas node (or an offscreen 2d canvas).
 * Returns the canvas size in device pixels.
 */
export function paintReceipt(
  canvas: CanvasLike,
  r: ReceiptDocView,
  pixelRatio: number,
): { width: number; height: number } {
  const ratio = Math.max(1, Math.min(3, Math.round(pixelRatio) || 2));
  let ctx = canvas.getContext('2d') as Ctx2D | null;
  if (!ctx) throw new Error('canvas 2d context unavailable');
  ctx.textBaseline = 'top';
  const height = Math.ceil(drawReceipt(ctx, r, { measureOnly: true }));
  canvas.width = RECEIPT_WIDTH * ratio;
  canvas.height = height * ratio;
  // resizing resets the context's state
  ctx = canvas.getContext('2d') as Ctx2D;
  ctx.scale(ratio, ratio);
  drawPaper(ctx, RECEIPT_WIDTH, height);
  drawReceipt(ctx, r);
  return { width: canvas.width, height: canvas.height };
}
