/**
 * `npm run docs:inspector`: takes docs/inspector-light.png and docs/inspector-dark.png, the token
 * inspector at a laptop's size (1366x768 less the browser's bars) answering an expired token, with a
 * fixed clock so that the times on the page do not change between runs. Needs /usr/bin/chromium.
 */
import { startInspector } from '../lib/inspect/start-inspector.js';
import { hasChromium, launchChromium, CHROMIUM } from '../spec/helpers/chromium.js';
import { fixture } from '../spec/helpers/fixture.js';

const T = 1_800_000_000;
const SHOTS = { light: 'docs/inspector-light.png', dark: 'docs/inspector-dark.png' } as const;

if (!hasChromium()) {
  console.error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
  process.exit(1);
}
const f = await fixture();
const inspector = await startInspector({ spec: f.doc(), now: () => T * 1000 });
const browser = await launchChromium({ viewport: { width: 1366, height: 657 } });
try {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const token = await f.token({ sub: 'alice@example.com', iat: T - 3 * 3600, exp: T - 12 * 60 });
  for (const [scheme, file] of Object.entries(SHOTS)) {
    await page.emulateMedia({ colorScheme: scheme as keyof typeof SHOTS });
    await page.goto(inspector.url);
    await page.waitForSelector('body[data-ready]');
    await page.fill('[data-testid=token]', token);
    await page.selectOption('[data-testid=operation]', 'GET /v1/shelves/{shelf}');
    await page.click('[data-testid=submit]');
    await page.waitForSelector('[data-testid=failed-step]');
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
  }
} finally {
  await browser.close();
  await inspector.close();
  await f.server.stop();
}
