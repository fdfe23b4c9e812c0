import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { STEP_ORDER } from '../../lib/explain/step-of.js';
import { startInspector, type Inspector } from '../../lib/inspect/start-inspector.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { hasChromium, launchChromium, CHROMIUM, type TestBrowser } from '../helpers/chromium.js';
import { AUDIENCE, fixture, ISSUER, SERVICE } from '../helpers/fixture.js';
import { makeKey } from '../helpers/keys.js';
import { mint } from '../helpers/tokens.js';

// The inspector page in a real Chromium, against a real key server on loopback and a fake clock shared
// by the inspector and the middleware: each case's verdict on the page is compared with what the
// Express middleware answers over HTTP to the same token on the same operation.

/** The fake clock: a fixed instant, in seconds. */
const T = 1_800_000_000;
const now = () => T * 1000;
/** A laptop screen (1366x768) less the browser's own bars. */
const LAPTOP = { width: 1366, height: 657 };
const OPERATION = 'GET /v1/shelves';

const skip = hasChromium() ? false : `no Chromium at ${CHROMIUM} (.ci/run installs it with apt-get): the inspector's browser test is skipped`;

describe('the token inspector in Chromium', { skip }, () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let inspector: Inspector;
  let apps: Record<'espv2' | 'esp', TestApp>;
  let browser: TestBrowser;
  let page: Page;
  const requested: string[] = [];
  const consoleErrors: string[] = [];

  before(async () => {
    f = await fixture();
    inspector = await startInspector({ spec: f.doc(), now });
    apps = {
      espv2: await startApp(f.doc(), { now }),
      esp: await startApp(f.doc(), { now, compatibility: 'esp' }),
    };
    browser = await launchChromium({ viewport: LAPTOP });
    browser.context.on('request', (r) => requested.push(r.url()));
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await open(page);
  });
  after(async () => {
    await browser?.close();
    await inspector?.close();
    await Promise.all(Object.values(apps ?? {}).map((a) => a.close()));
    await f?.server.stop();
  });

  async function open(p: Page, at: Inspector = inspector): Promise<void> {
    await p.goto(at.url);
    await p.waitForSelector('body[data-ready]');
  }

  const token = (claims: Record<string, unknown> = {}) => f.token({ iat: T - 60, exp: T + 3600, ...claims });

  /** What the middleware answers to the token on GET /v1/shelves, as the page words a verdict. */
  async function middlewareVerdict(t: string, compatibility: 'espv2' | 'esp' = 'espv2'): Promise<string> {
    const r = await apps[compatibility].send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } });
    if (r.status === 200) {
      assert.equal(r.json.reached, true);
      return 'allow';
    }
    return `deny: ${r.status} ${r.json.message}`;
  }

  /** Fills the form and checks, the way a user does; resolves once the answer is on the page. */
  async function inspect(p: Page, t: string, operation = OPERATION): Promise<string> {
    await p.fill('[data-testid=token]', t);
    await p.selectOption('[data-testid=operation]', operation);
    const answered = p.waitForResponse((r) => r.url().endsWith('/api/inspect'));
    await p.click('[data-testid=submit]');
    assert.equal((await answered).status(), 200);
    await p.waitForSelector('#result:not([aria-busy])');
    return (await p.textContent('[data-testid=verdict]'))!.trim();
  }

  const checks = (p: Page) => p.$$eval('[data-testid=steps] > li', (items) => items.map((li) => [li.getAttribute('data-check'), li.classList.contains('pass')] as const));

  /** The failing check is on screen without scrolling. */
  async function failingCheckInFirstViewport(p: Page): Promise<void> {
    const box = await p.locator('[data-testid=failed-step]').boundingBox();
    assert.ok(box, 'the failing check is rendered');
    assert.equal(await p.evaluate(() => window.scrollY), 0);
    assert.ok(box.y >= 0 && box.y + box.height <= LAPTOP.height, `the failing check (y ${box.y}, height ${box.height}) is within the first ${LAPTOP.height} px`);
  }

  it('a valid token: allow, as the middleware, every check passing, keys downloaded by the local server', async () => {
    const t = await token();
    const downloads = f.server.count('/jwks');
    const verdict = await inspect(page, t);
    assert.ok(f.server.count('/jwks') > downloads, 'the inspector server downloaded the key set');
    assert.equal(verdict, await middlewareVerdict(t));
    assert.equal(verdict, 'allow');
    assert.deepEqual(await checks(page), STEP_ORDER.espv2.map((c) => [c, true]));
    assert.equal(await page.locator('[data-testid=failed-step]').count(), 0);
  });

  const denials: [string, () => Promise<string>, string][] = [
    ['expired', () => token({ exp: T - 12 * 60 }), 'time'],
    ['not yet valid', () => token({ nbf: T + 5 * 60 }), 'time'],
    ['wrong issuer', () => token({ iss: 'https://accounts.google.com' }), 'issuer'],
    ['wrong audience', () => token({ aud: `https://${SERVICE}` }), 'audience'],
    ['malformed', async () => 'not-a-jwt', 'parse'],
    ['unknown kid', async () => mint(await makeKey('RS256', { kid: 'stranger' }), { iss: ISSUER, aud: AUDIENCE, iat: T - 60, exp: T + 3600 }), 'signature'],
  ];
  for (const [name, make, failing] of denials) {
    it(`${name}: the middleware's deny, the ${failing} check failing after the ones before it in ESPv2's order, on screen`, async () => {
      const t = await make();
      const verdict = await inspect(page, t);
      const expected = await middlewareVerdict(t);
      assert.match(expected, /^deny: \d{3} /);
      assert.equal(verdict, expected);
      const order = STEP_ORDER.espv2;
      const at = order.indexOf(failing as (typeof order)[number]);
      assert.deepEqual(await checks(page), [...order.slice(0, at).map((c) => [c, true]), [failing, false]]);
      assert.match((await page.textContent('[data-testid=failed-step]'))!, /Fix: \S/);
      await failingCheckInFirstViewport(page);
    });
  }

  it('times are shown as dates and relative to the clock: "12 min ago", "in 5 min"', async () => {
    await inspect(page, await token({ exp: T - 12 * 60 }));
    assert.match((await page.textContent('[data-testid=payload]'))!, new RegExp(`exp${T - 720} · 2027-01-15 07:48:00 UTC · 12 min ago`));
    await inspect(page, await token({ nbf: T + 5 * 60 }));
    assert.match((await page.textContent('[data-testid=payload]'))!, new RegExp(`nbf${T + 300} · 2027-01-15 08:05:00 UTC · in 5 min`));
  });

  it("ESP v1: the middleware's own answer in ESP v1, and the checks in ESP v1's order (time before issuer)", async () => {
    const t = await token({ exp: T - 3600 });
    await page.selectOption('[data-testid=compatibility]', 'esp');
    try {
      const verdict = await inspect(page, t);
      assert.equal(verdict, await middlewareVerdict(t, 'esp'));
      assert.notEqual(verdict, await middlewareVerdict(t, 'espv2'), 'ESP v1 words it otherwise than ESPv2');
      const order = STEP_ORDER.esp;
      assert.deepEqual(await checks(page), [...order.slice(0, order.indexOf('time')).map((c) => [c, true]), ['time', false]]);
    } finally {
      await page.selectOption('[data-testid=compatibility]', 'espv2');
    }
  });

  it('offline: allow, says the signature was not checked, and downloads nothing', async () => {
    const t = await token();
    const downloads = f.server.count('/jwks');
    await page.check('[data-testid=offline]');
    try {
      const verdict = await inspect(page, t);
      assert.match(verdict, /^allow/);
      assert.match(verdict, /signature not checked/);
      assert.match((await page.textContent('[data-testid=offline-notice]'))!, /signature was NOT checked/);
      assert.ok(!(await checks(page)).some(([c]) => c === 'keys' || c === 'signature'));
      assert.equal(f.server.count('/jwks'), downloads);
    } finally {
      await page.uncheck('[data-testid=offline]');
    }
  });

  it("keys out of reach (the network unplugged): the middleware's deny at the keys check, the page points to Offline, which then allows", async () => {
    const doc = f.doc();
    doc.securityDefinitions.issuer['x-google-jwks_uri'] = 'http://127.0.0.1:1/jwks';
    const [unplugged, app] = await Promise.all([startInspector({ spec: doc, now }), startApp(doc, { now })]);
    const p = await browser.context.newPage();
    try {
      await open(p, unplugged);
      const t = await token();
      const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } });
      assert.equal(await inspect(p, t), `deny: ${r.status} ${r.json.message}`);
      assert.equal(await p.getAttribute('[data-testid=failed-step]', 'data-check'), 'keys');
      assert.match((await p.textContent('[data-testid=offline-advice]'))!, /Tick Offline/);
      await failingCheckInFirstViewport(p);
      await p.check('[data-testid=offline]');
      assert.equal(await inspect(p, t), 'allow (offline: signature not checked)');
    } finally {
      await p.close();
      await Promise.all([unplugged.close(), app.close()]);
    }
  });

  it('every operation: one verdict per operation of the document', async () => {
    await inspect(page, await token({ exp: T - 3600 }), '*');
    const rows = await page.$$eval('[data-testid=operations] tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
    assert.deepEqual(rows, [
      ['GET /v1/shelves (listShelves)', 'deny: 401 Jwt is expired'],
      ['POST /v1/shelves (createShelf)', 'deny: 401 Jwt is expired'],
      ['GET /v1/shelves/{shelf} (getShelf)', 'deny: 401 Jwt is expired'],
      ['GET /v1/public (publicInfo)', 'allow'],
    ]);
    // The headline does not read as "this token is fine" when only the open operation lets it through.
    assert.equal(await page.textContent('[data-testid=verdict]'), 'deny on 3 of 4 operations: 401 Jwt is expired');
  });

  it('keyboard only: Tab reaches the fields in order with a visible focus ring, Enter checks', async () => {
    const p = await browser.context.newPage();
    try {
      await open(p);
      const order: string[] = [];
      for (let i = 0; i < 5; i++) {
        await p.keyboard.press('Tab');
        const focused = await p.evaluate(() => {
          const e = document.activeElement as HTMLElement;
          const s = getComputedStyle(e);
          return { id: e.id, ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
        });
        assert.ok(focused.ring, `${focused.id} shows where the focus is`);
        order.push(focused.id);
        if (focused.id === 'token') await p.keyboard.insertText(await token({ aud: 'someone-else' }));
        if (focused.id === 'operation') await p.keyboard.press('ArrowDown');
      }
      assert.deepEqual(order, ['token', 'operation', 'compatibility', 'offline', 'submit']);
      assert.equal(await p.inputValue('[data-testid=operation]'), 'POST /v1/shelves');
      const answered = p.waitForResponse((r) => r.url().endsWith('/api/inspect'));
      await p.keyboard.press('Enter');
      await answered;
      await p.waitForSelector('#result:not([aria-busy])');
      assert.equal((await p.textContent('[data-testid=verdict]'))!.trim(), 'deny: 403 Audiences in Jwt are not allowed');
      // The focus stays on the button; the next Tab goes into the checks, and Enter opens one.
      assert.equal(await p.evaluate(() => document.activeElement?.id), 'submit');
      await p.keyboard.press('Tab');
      assert.equal(await p.evaluate(() => document.activeElement?.closest('li')?.getAttribute('data-check')), 'operation');
      await p.keyboard.press('Enter');
      assert.equal(await p.locator('[data-check=operation] details').getAttribute('open'), '');
      // Ctrl+Enter in the token field checks too.
      await p.focus('[data-testid=token]');
      await p.keyboard.press('Control+A');
      await p.keyboard.insertText('not-a-jwt');
      const again = p.waitForResponse((r) => r.url().endsWith('/api/inspect'));
      await p.keyboard.press('Control+Enter');
      await again;
      await p.waitForSelector('#result:not([aria-busy])');
      assert.match((await p.textContent('[data-testid=verdict]'))!, /^deny: 401 Jwt is not in the form/);
    } finally {
      await p.close();
    }
  });

  it('200% zoom (a 683x328 view of the laptop screen): one column, nothing wider than the window', async () => {
    const p = await browser.context.newPage();
    try {
      await p.setViewportSize({ width: LAPTOP.width / 2, height: Math.floor(LAPTOP.height / 2) });
      await open(p);
      await inspect(p, await token({ iss: 'https://a-very-long-issuer-name.example.com/with/a/long/path/that/must/wrap/somewhere' }));
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no horizontal scrolling');
      const [question, answer] = await Promise.all([p.locator('.question').boundingBox(), p.locator('.answer').boundingBox()]);
      assert.ok(question && answer && answer.y >= question.y + question.height, 'the verdict comes below the form');
    } finally {
      await p.close();
    }
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: the page follows the system's scheme, and the verdict and the steps keep a 4.5:1 contrast`, async () => {
      const p = await browser.context.newPage();
      try {
        await p.emulateMedia({ colorScheme: scheme });
        await open(p);
        await inspect(p, await token({ exp: T - 3600 }));
        // Each colour with the first opaque background behind it (no named functions inside: tsx would wrap them).
        const pick = (selector: string) =>
          p.$eval(selector, (e) => {
            let bg = 'rgba(0, 0, 0, 0)';
            for (let n: Element | null = e; n && /rgba\(.*, 0\)/.test(bg); n = n.parentElement) bg = getComputedStyle(n).backgroundColor;
            return { fg: getComputedStyle(e).color, bg };
          });
        const colours = {
          body: await p.$eval('body', (b) => getComputedStyle(b).backgroundColor),
          verdict: await pick('[data-testid=verdict]'),
          step: await pick('[data-testid=steps] .pass summary'),
          fix: await pick('.fix'),
        };
        const luminance = (rgb: string) => {
          const [r, g, b] = rgb.match(/\d+/g)!.slice(0, 3).map((v) => {
            const c = Number(v) / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          }) as [number, number, number];
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const contrast = (a: string, b: string) => {
          const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m) as [number, number];
          return (x + 0.05) / (y + 0.05);
        };
        assert.ok(scheme === 'dark' ? luminance(colours.body) < 0.1 : luminance(colours.body) > 0.9, `a ${scheme} background: ${colours.body}`);
        for (const [name, c] of Object.entries({ verdict: colours.verdict, step: colours.step, fix: colours.fix })) {
          assert.ok(contrast(c.fg, c.bg) >= 4.5, `${name}: ${c.fg} on ${c.bg} is ${contrast(c.fg, c.bg).toFixed(2)}:1`);
        }
      } finally {
        await p.close();
      }
    });
  }

  it('a token carrying HTML is shown as text: no element is made of it, nothing is fetched for it', async () => {
    const html = '<img src="http://203.0.113.9/x.png"><script>document.title="owned"</script>';
    await inspect(page, await token({ sub: html, iss: html }));
    assert.match((await page.textContent('[data-testid=payload]'))!, /<img src=\\"http:\/\/203\.0\.113\.9\/x\.png\\">/);
    assert.match((await page.textContent('[data-testid=failed-step]'))!, /203\.0\.113\.9/);
    assert.equal(await page.locator('img').count(), 0);
    assert.notEqual(await page.title(), 'owned');
  });

  it('nothing but 127.0.0.1 was asked for, the keys never by the browser, and no console error (no CSP violation)', () => {
    assert.ok(requested.some((u) => u.endsWith('/api/inspect')), 'the page did talk to its server');
    const elsewhere = requested.filter((u) => new URL(u).hostname !== '127.0.0.1');
    assert.deepEqual(elsewhere, []);
    assert.ok(!requested.some((u) => u.startsWith(f.server.base)), 'the key server was reached by the inspector server only');
    assert.deepEqual(consoleErrors, []);
  });
});
