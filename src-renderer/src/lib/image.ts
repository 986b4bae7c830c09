/**
 * Raster exports made in the renderer. The PNG of a chart is the paper SVG
 * (lib/series.ts chartSvg) rasterised at print resolution, so the PNG and the
 * SVG of a figure are the same drawing.
 */
export const PRINT_DPI = 300;

/** Rasterises an SVG document whose width/height are in inches at `dpi`; white background. */
export async function svgToPng(svg: string, widthIn: number, heightIn: number, dpi = PRINT_DPI): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'sync';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(widthIn * dpi);
    canvas.height = Math.round(heightIn * dpi);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas available for the PNG export');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
