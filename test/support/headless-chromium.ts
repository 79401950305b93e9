import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/**
 * Where Debian's chromium package puts the browser (`apt-get install chromium`), if it is there.
 * CHROMIUM_PATH, when set, is the only place looked at (a path that does not exist: no browser).
 */
export function findChromium(): string | null {
  const candidates = process.env.CHROMIUM_PATH
    ? [process.env.CHROMIUM_PATH]
    : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** What the browser saw of a page: each image's load state and natural size. */
export interface PageImage {
  src: string;
  alt: string;
  loaded: boolean;
  width: number;
  height: number;
  /** Width as laid out on the page, in CSS pixels. */
  shownWidth: number;
}

/** The part of a browser's HTMLImageElement read here (the project compiles without DOM types). */
interface BrowserImage {
  alt: string;
  complete: boolean;
  naturalWidth: number;
  naturalHeight: number;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number };
}

/**
 * Opens a local HTML file in headless Chromium (no sandbox, no background networking), waits for
 * every image, saves a full-page PNG (and one PNG per image when `perImage` names a prefix) and
 * returns what loaded.
 */
export async function screenshotPage(
  executablePath: string,
  htmlFile: string,
  o: { png: string; width: number; perImage?: string },
): Promise<PageImage[]> {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: o.width, height: 900 } });
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    const images = await page.$$eval('img', (imgs) =>
      (imgs as unknown as BrowserImage[]).map((i) => ({
        src: i.getAttribute('src') ?? '',
        alt: i.alt,
        loaded: i.complete && i.naturalWidth > 0,
        width: i.naturalWidth,
        height: i.naturalHeight,
        shownWidth: i.getBoundingClientRect().width,
      })),
    );
    await page.screenshot({ path: o.png, fullPage: true });
    if (o.perImage) {
      const handles = await page.$$('img');
      for (let k = 0; k < handles.length; k++) await handles[k].screenshot({ path: `${o.perImage}-${k + 1}.png` });
    }
    return images;
  } finally {
    await browser.close();
  }
}
