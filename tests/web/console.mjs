// SPDX-License-Identifier: GPL-2.0
// The web console in a real browser: Debian's Chromium, headless, driven
// by playwright-core (tests/web/install.sh).  tests/vm/test_web_browser.py
// runs it in phases and checks the board between them:
//
//   node console.mjs login-port    log in (forced password change if the
//                                  accounts library asks), overview,
//                                  port 1 -> udp
//   node console.mjs allow-logout  allowlist entry, overview, event log,
//                                  log out
//
// Environment: PB_URL (https://portbridge:PORT), PB_HOST_PORT (the host
// port of 443), PB_PASSWORD, PB_NEW_PASSWORD, PB_SHOTS (screenshot dir),
// PB_STATE (a file for the session between phases), PB_NODE_MODULES.
// Prints one JSON object with what it saw; exits non-zero on failure.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.PB_NODE_MODULES, 'x'));
const { chromium } = require('playwright-core');

const phase = process.argv[2];
const base = process.env.PB_URL;
const shots = process.env.PB_SHOTS;
const state = process.env.PB_STATE;
const seen = { phase, pages: [] };

function fail(msg) {
  throw new Error(msg);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
}

async function flash(page) {
  const f = page.locator('#flash');
  return (await f.count()) ? (await f.innerText()).trim() : '';
}

const browser = await chromium.launch({
  executablePath: process.env.PB_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    // the board's name, so the Host header is one of its names
    `--host-resolver-rules=MAP portbridge 127.0.0.1`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
  ],
});
let code = 0;
try {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1100, height: 700 },
    ...(phase === 'login-port' ? {} : { storageState: state }),
  });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));

  if (phase === 'login-port') {
    await page.goto(base + '/');
    if (!page.url().endsWith('/login')) fail('not sent to the login page: ' + page.url());
    seen.loginMessage = (await page.locator('#login-message').count())
      ? (await page.locator('#login-message').innerText()) : '';
    await shot(page, 'login');
    // a wrong password first: the failure message
    await page.fill('#user', 'admin');
    await page.fill('#password', 'not-the-password');
    await page.click('#login');
    seen.failure = await flash(page);
    errors.length = 0;  // the 403 of the refused login is expected
    await page.fill('#user', 'admin');
    await page.fill('#password', process.env.PB_PASSWORD);
    await page.click('#login');
    seen.forcedChange = page.url().endsWith('/password');
    if (seen.forcedChange) {
      await shot(page, 'password');
      await page.fill('#old', process.env.PB_PASSWORD);
      await page.fill('#new', process.env.PB_NEW_PASSWORD);
      await page.fill('#again', process.env.PB_NEW_PASSWORD);
      await page.click('#change');
      seen.changeFlash = await flash(page);
    }
    if (!page.url().endsWith('/')) fail('not on the overview: ' + page.url() + ' ' + await flash(page));
    const cookies = await context.cookies();
    const sid = cookies.find((c) => c.name === 'pbsid');
    if (!sid) fail('no session cookie');
    seen.cookie = { secure: sid.secure, httpOnly: sid.httpOnly, sameSite: sid.sameSite };
    seen.overviewRows = await page.locator('#ports tbody tr').count();
    await shot(page, 'overview');

    await page.click('text=Port settings');
    if (!page.url().includes('/port?n=1')) fail('not on port 1: ' + page.url());
    seen.modeBefore = await page.locator('#mode').inputValue();
    await page.selectOption('#mode', 'udp');
    await page.click('#apply');
    seen.portFlash = await flash(page);
    seen.modeAfter = await page.locator('#mode').inputValue();
    seen.localPortAfter = await page.locator('#local-port').inputValue();
    await shot(page, 'port');
    await context.storageState({ path: state });
  } else if (phase === 'allow-logout') {
    await page.goto(base + '/');
    if (!page.url().endsWith('/')) fail('the session did not last: ' + page.url());
    seen.overviewPort1 = (await page.locator('#port1').innerText()).split(/\s+/);
    await shot(page, 'overview-udp');
    await page.click('text=Accessible IPs');
    seen.warning = await page.locator('#lockout-warning').innerText();
    // on without an entry for us: refused (the lockout guard)
    await page.click('#toggle');
    seen.toggleRefused = await flash(page);
    await page.fill('#entry', '10.0.2.0/255.255.255.0');
    await page.click('#add');
    seen.addFlash = await flash(page);
    seen.entries = await page.locator('#allow td.entry').allInnerTexts();
    await page.click('#toggle');
    seen.toggleFlash = await flash(page);
    seen.allowState = await page.locator('#allow-state').innerText();
    await shot(page, 'allow');
    await page.click('text=Event log');
    await page.click('.cats >> text=config');
    seen.logConfig = await page.locator('#log tbody tr').allInnerTexts();
    await shot(page, 'log');
    await page.click('#logout');
    seen.afterLogout = page.url();
    await page.goto(base + '/');
    seen.afterLogoutVisit = page.url();
    await shot(page, 'logged-out');
  } else {
    fail('unknown phase ' + phase);
  }
  seen.consoleErrors = errors;
  await context.close();
} catch (e) {
  seen.error = String(e && e.stack || e);
  code = 1;
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
process.exit(code);
