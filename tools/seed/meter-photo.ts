/**
 * A photo of a water meter's counter for the demo (drawn here, written by `pngOf`): a grey
 * meter face with the reading on black counter wheels, the last wheel red as on real meters, so
 * staff checking the demo owner's report see the figure they compare.
 */
import { pngOf } from './files';

/** 5×7 digits, one string per row, '#' lit. */
const DIGITS: Record<string, string[]> = {
  '0': ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['#####', '...#.', '..#..', '...#.', '....#', '#...#', '.###.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
};

type Rgb = [number, number, number];

/** A PNG of the counter showing `reading` (whole units, as many wheels as it needs, at least 5). */
export function meterPhoto(reading: string): Buffer {
  const digits = reading.split('.')[0]!.padStart(5, '0');
  const scale = 6;
  const wheel = { w: 5 * scale + 16, h: 7 * scale + 24 };
  const width = 360;
  const height = 240;
  const px = Buffer.alloc(width * height * 3);
  const fill = (x0: number, y0: number, w: number, h: number, [r, g, b]: Rgb) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) {
        const i = (y * width + x) * 3;
        px[i] = r;
        px[i + 1] = g;
        px[i + 2] = b;
      }
    }
  };
  fill(0, 0, width, height, [186, 190, 188]);
  fill(20, 20, width - 40, height - 40, [226, 229, 227]);
  const left = Math.round((width - digits.length * (wheel.w + 4)) / 2);
  const top = Math.round((height - wheel.h) / 2);
  fill(left - 8, top - 8, digits.length * (wheel.w + 4) + 12, wheel.h + 16, [40, 40, 40]);
  [...digits].forEach((d, n) => {
    const x = left + n * (wheel.w + 4);
    const last = n === digits.length - 1;
    fill(x, top, wheel.w, wheel.h, last ? [176, 32, 32] : [16, 16, 16]);
    (DIGITS[d] ?? DIGITS['0']!).forEach((row, ry) =>
      [...row].forEach((on, rx) => {
        if (on === '#')
          fill(x + 8 + rx * scale, top + 12 + ry * scale, scale, scale, [245, 245, 245]);
      }),
    );
  });
  return pngOf(width, height, (x, y) => {
    const i = (y * width + x) * 3;
    return [px[i]!, px[i + 1]!, px[i + 2]!];
  });
}
