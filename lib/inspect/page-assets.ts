import { readFile } from 'node:fs/promises';

/** One file of the page, held in memory for the inspector's lifetime. */
export interface PageAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

// The page is plain HTML, CSS and JavaScript shipped in the package: from source it sits beside this
// module, and the build copies it beside dist/cli.js, so the same relative URL finds it in both.
const PAGE_DIR = new URL('./inspector-page/', import.meta.url);

// A fixed list, not a directory listing: nothing else can be asked for by path.
const FILES: Readonly<Record<string, { file: string; contentType: string }>> = {
  '/': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/inspector.css': { file: 'inspector.css', contentType: 'text/css; charset=utf-8' },
  '/inspector.js': { file: 'inspector.js', contentType: 'text/javascript; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', contentType: 'image/svg+xml' },
};

/** Reads the page's files once, keyed by the URL path they are served at. */
export async function loadPageAssets(): Promise<ReadonlyMap<string, PageAsset>> {
  const entries = await Promise.all(
    Object.entries(FILES).map(async ([path, { file, contentType }]) => [path, { contentType, body: await readFile(new URL(file, PAGE_DIR)) }] as const),
  );
  return new Map(entries);
}
