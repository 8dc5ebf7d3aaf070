/**
 * The pictures drawn on PDF pages, decoded, with where each sits on its page: what OCR reads on
 * a page without a text layer. pdfjs decodes every image format a PDF may hold (JPEG, JPEG
 * 2000, JBIG2, CCITT fax, Flate) and follows the page's drawing state, so a scan made by any
 * scanner or converter arrives here as grey pixels and a rectangle in PDF points.
 */
import { toGray, type Gray, type PixelKind } from './ocr-image.ts';
import { loadPdfJs, type PdfPage } from './pdf.ts';

/** A decoded picture and the rectangle it fills on its page (PDF points, y up). */
export interface PlacedImage {
  gray: Gray;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

type Matrix = [number, number, number, number, number, number];

/** m × n, both PDF matrices [a b c d e f]. */
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

/** pdfjs's decoded image: its ImageKind 1 is 1-bit grey, 2 RGB, 3 RGBA. */
interface DecodedImage {
  width: number;
  height: number;
  kind: number;
  data?: Uint8Array | Uint8ClampedArray;
}
const KINDS: Record<number, PixelKind> = { 1: 'gray1', 2: 'rgb', 3: 'rgba' };

/** Pictures smaller than this share of the page (logos, seals, signatures) are not read. */
const MIN_PAGE_SHARE = 0.05;

function objectOf(page: PdfPage, id: string): Promise<DecodedImage | null> {
  const store = id.startsWith('g_') ? page.commonObjs : page.objs;
  return new Promise((resolve) => store.get(id, (data) => resolve((data as DecodedImage) ?? null)));
}

/**
 * The pictures of one page worth reading, largest first. A picture is kept when it is drawn
 * upright (not turned or mirrored) and covers a fair share of the page.
 */
export async function pageImages(page: PdfPage): Promise<PlacedImage[]> {
  const { OPS } = await loadPdfJs();
  const viewport = page.getViewport({ scale: 1 });
  const pageArea = viewport.width * viewport.height;
  const list = await page.getOperatorList();
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const found: { image: Promise<DecodedImage | null>; m: Matrix }[] = [];
  list.fnArray.forEach((fn, i) => {
    const args = list.argsArray[i];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(args as Matrix, ctm);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      if (Array.isArray(args[0]) && args[0].length === 6) ctm = multiply(args[0] as Matrix, ctm);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.paintImageXObject && typeof args[0] === 'string') found.push({ image: objectOf(page, args[0]), m: ctm });
    else if (fn === OPS.paintInlineImageXObject) found.push({ image: Promise.resolve(args[0] as DecodedImage), m: ctm });
  });
  const out: PlacedImage[] = [];
  for (const { image, m } of found) {
    // Upright only: the unit square goes to a rectangle with x and y the right way round.
    if (Math.abs(m[1]) > 1e-6 || Math.abs(m[2]) > 1e-6 || m[0] <= 0 || m[3] <= 0) continue;
    if ((m[0] * m[3]) / pageArea < MIN_PAGE_SHARE) continue;
    const img = await image;
    const kind = img && KINDS[img.kind];
    if (!img?.data || !kind) continue;
    out.push({ gray: toGray(img.data, img.width, img.height, kind), x0: m[4], y0: m[5], x1: m[4] + m[0], y1: m[5] + m[3] });
  }
  return out.sort((a, b) => (b.x1 - b.x0) * (b.y1 - b.y0) - (a.x1 - a.x0) * (a.y1 - a.y0));
}
