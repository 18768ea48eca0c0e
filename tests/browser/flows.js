#!/usr/bin/env node
// The guideline's screen flow (2.3) in a real browser: Debian's Chromium, headless, driven by
// puppeteer-core (which never downloads a browser of its own). Runs examples/web_app --serve
// (the provider's pages and the sandbox's Mynaportal pages over loopback HTTPS) and walks:
//   1. start → 「次へ」 → sign-in with the card → consent to one type → waiting → records,
//      then narrowing the 照会年月日;
//   2. the refusal: 「同意しない」 on the consent page;
//   3. the cards that end at sign-in: expired certificate, not registered at Mynaportal;
//   4. a second consent adding a type: both types on the consent page and the records page.
// On every page: lang="ja", every visible control labelled, nothing loaded from elsewhere.
// Each step saves a screenshot into --out. Prints "FIGURE browser_flows_passed N"; exit 0
// only when all flows passed.
//
// usage: node flows.js --web-app PATH --out DIR [--chromium /usr/bin/chromium]
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { spawn } = require('child_process');
const puppeteer = require('puppeteer-core');

const STEP_TIMEOUT_MS = 30000;
const SHOT_MAX_HEIGHT = 820;

function parseArgs(argv) {
  const args = { chromium: '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '--web-app') args.webApp = argv[++i];
    else if (argv[i] === '--out') args.out = argv[++i];
    else if (argv[i] === '--chromium') args.chromium = argv[++i];
  }
  if (!args.webApp || !args.out) {
    console.error('usage: node flows.js --web-app PATH --out DIR [--chromium PATH]');
    process.exit(2);
  }
  return args;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

/** Starts web_app --serve and resolves with its info file ({app_url, sandbox_url, …}). */
async function startWebApp(webApp, work) {
  const infoFile = path.join(work, 'web_app.json');
  const child = spawn(webApp, ['--serve', '--info', infoFile, '--notification-delay-ms', '700'],
                      { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', () => {});
  let exited = null;
  const done = new Promise((resolve) => child.on('exit', (code, signal) => { exited = code ?? signal; resolve(exited); }));
  for (let waited = 0; waited < 20000; waited += 50) {
    if (exited !== null) throw new Error(`web_app exited early (${exited})`);
    if (fs.existsSync(infoFile)) return { child, done, info: JSON.parse(fs.readFileSync(infoFile, 'utf8')) };
    await sleep(50);
  }
  child.kill('SIGTERM');
  throw new Error('web_app did not start within 20 s');
}

/** base64 SHA-256 of a certificate's public key: Chromium trusts exactly these keys. */
function spkiHash(pemFile) {
  const cert = new crypto.X509Certificate(fs.readFileSync(pemFile));
  const der = cert.publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('base64');
}

async function launchChromium(executable, info, userDataDir) {
  const trusted = [info.app_cert_file, info.sandbox_cert_file].map(spkiHash).join(',');
  return puppeteer.launch({
    executablePath: executable,
    headless: true,
    userDataDir,
    defaultViewport: { width: 760, height: 560, deviceScaleFactor: 1 },
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--lang=ja-JP', `--ignore-certificate-errors-spki-list=${trusted}`],
  });
}

/** Checks every page the browser shows: language, labels, nothing from elsewhere. */
async function checkPage(page) {
  const problems = await page.evaluate(() => {
    const out = [];
    if (document.documentElement.lang !== 'ja') out.push('html lang is not ja');
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden') continue;
      const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`)) ||
                       el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!labelled) out.push(`unlabelled control ${el.name || el.outerHTML.slice(0, 60)}`);
    }
    for (const el of document.querySelectorAll('[src], link[href]')) out.push(`loads ${el.outerHTML.slice(0, 80)}`);
    return out;
  });
  check(problems.length === 0, `${page.url()}: ${problems.join('; ')}`);
}

class Flows {
  constructor(browser, info, out) {
    this.browser = browser;
    this.info = info;
    this.out = out;
    this.origins = [new URL(info.app_url).origin, new URL(info.sandbox_url).origin];
  }

  async newPage() {
    const context = await this.browser.createBrowserContext();  // own cookies per flow
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const cdp = await page.createCDPSession();  // a Japanese browser: dates as 2024/01/31
    await cdp.send('Emulation.setLocaleOverride', { locale: 'ja-JP' });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('data:') && !this.origins.some((o) => url.startsWith(o))) this.foreign = url;
    });
    return { context, page };
  }

  async shot(page, name) {
    check(!this.foreign, `a request left the two hosts: ${this.foreign}`);
    await checkPage(page);
    // The whole page from the top, cut at SHOT_MAX_HEIGHT (long record tables).
    const height = Math.min(SHOT_MAX_HEIGHT, await page.evaluate(() => document.documentElement.scrollHeight));
    await page.screenshot({ path: path.join(this.out, `${name}.png`), captureBeyondViewport: true,
                            clip: { x: 0, y: 0, width: 760, height } });
  }

  /** Clicks a submit button by its text and waits for the page it leads to. */
  async submit(page, text) {
    const [button] = await page.$$(`xpath/.//button[normalize-space(.)="${text}"]`);
    check(button, `a button 「${text}」 on ${page.url()}`);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  }

  async heading(page) {
    return page.$eval('h1', (h) => h.textContent.trim());
  }

  /** The start page with exactly these types checked, then 「次へ」. */
  async chooseTypes(page, types, shot) {
    await page.goto(`${this.info.app_url}/`, { waitUntil: 'load' });
    for (const type of ['drugs', 'checkups', 'expenses']) {
      const box = await page.$(`#type-${type}`);
      const checked = await box.evaluate((b) => b.checked);
      if (checked !== types.includes(type)) await page.click(`label[for="type-${type}"]`);
    }
    if (shot) await this.shot(page, shot);
    await this.submit(page, '次へ');
    check(page.url().startsWith(this.info.sandbox_url), `「次へ」 leads to Mynaportal (${page.url()})`);
  }

  /** The sign-in page: choose the citizen's card, type the PIN, 読み取る. */
  async signIn(page, citizen, shot) {
    check((await this.heading(page)) === 'マイナンバーカードで本人確認', 'the sign-in page');
    await page.click(`label[for="citizen-${citizen}"]`);
    await page.type('#pin', '1234');
    if (shot) await this.shot(page, shot);
    await this.submit(page, '読み取る');
  }

  async consentPageTypes(page) {
    check((await this.heading(page)) === '情報提供の同意', `the consent page (${page.url()})`);
    return page.$$eval('ul.types li strong', (items) => items.map((i) => i.textContent));
  }

  /** After consent: the waiting page (reloading itself), then the records page. */
  async awaitRecords(page, shot) {
    let shotTaken = !shot;
    for (const end = Date.now() + STEP_TIMEOUT_MS; Date.now() < end; await sleep(100)) {
      try {
        if (await page.$('main table, main section')) return;
        if (!shotTaken && (await page.$('[role=status] .spinner'))) {
          await this.shot(page, shot);
          shotTaken = true;
        }
      } catch (e) {
        if (!/context|navigat|detached/i.test(String(e))) throw e;  // the page reloaded meanwhile
      }
    }
    throw new Error('the records page did not come');
  }

  async sections(page) {
    return page.$$eval('main section', (all) => all.map((s) => ({
      heading: s.querySelector('h2').textContent,
      headers: [...s.querySelectorAll('th')].map((th) => th.textContent),
      rows: s.querySelectorAll('tbody tr').length,
    })));
  }

  async oneType() {
    const { context, page } = await this.newPage();
    await this.chooseTypes(page, ['checkups'], '01-start');
    await this.signIn(page, 'C0000005', '02-sign-in');
    const types = await this.consentPageTypes(page);
    check(types.join() === '特定健診情報', `the consent page asks for 特定健診情報 only (${types})`);
    check((await page.content()).includes('すこやか手帳（サンプル）'), 'the consent page names the provider');
    await this.shot(page, '03-consent');
    await this.submit(page, '同意する');
    await this.awaitRecords(page, '04-waiting');
    let sections = await this.sections(page);
    check(sections.length === 1 && sections[0].heading.startsWith('特定健診情報'), 'one section: 特定健診情報');
    for (const name of ['実施年月日', '身長', 'BMI'])
      check(sections[0].headers.includes(name), `the table names the item ${name}`);
    await this.shot(page, '05-records');
    await page.$eval('#from', (i) => { i.value = '2025-01-01'; });
    await page.$eval('#to', (i) => { i.value = '2025-12-31'; });
    await this.submit(page, '絞り込む');
    await this.awaitRecords(page);
    sections = await this.sections(page);
    check(await page.$eval('#from', (i) => i.value) === '2025-01-01', 'the range is kept in the form');
    check(sections[0].heading.startsWith('特定健診情報'), 'narrowed: 特定健診情報 again');
    await context.close();
  }

  async refusal() {
    const { context, page } = await this.newPage();
    await this.chooseTypes(page, ['drugs']);
    await this.signIn(page, 'C0000003');
    check((await this.consentPageTypes(page)).join() === '薬剤情報', 'the consent page asks for 薬剤情報');
    await this.submit(page, '同意しない');
    check(page.url().startsWith(this.info.app_url), 'back at the provider after the refusal');
    check((await this.heading(page)) === '情報の提供に同意されませんでした', 'the refusal is explained');
    await this.shot(page, '06-refused');
    await context.close();
  }

  async cardsEndingAtSignIn() {
    const { context, page } = await this.newPage();
    await this.chooseTypes(page, ['expenses']);
    await this.signIn(page, 'C0000008');
    // The sandbox sends the stateless form (state=Certificate expired), which cannot be verified:
    // the app reports it without asserting it.
    check((await this.heading(page)) === '連携を完了できませんでした', 'the unverified expired card is not asserted');
    check((await page.$eval('body', (b) => b.textContent)).includes('電子証明書の有効期限切れ'), 'the claim is mentioned as a claim');
    await this.shot(page, '07-card-expired');
    await this.chooseTypes(page, ['expenses']);
    await this.signIn(page, 'N0000001');
    check((await this.heading(page)) === 'マイナポータルの利用者登録が必要です', 'the missing registration is explained');
    await this.shot(page, '08-not-registered');
    await context.close();
  }

  async secondConsent() {
    const { context, page } = await this.newPage();
    await this.chooseTypes(page, ['checkups']);
    await this.signIn(page, 'C0000002');
    await this.submit(page, '同意する');
    await this.awaitRecords(page);
    await page.goto(`${this.info.app_url}/`, { waitUntil: 'load' });
    check((await page.$eval('main', (m) => m.textContent)).includes('連携済み'), 'the start page shows the link');
    await this.chooseTypes(page, ['checkups', 'drugs'], '09-start-linked');
    await this.signIn(page, 'C0000002');
    const types = await this.consentPageTypes(page);
    check(types.join() === '薬剤情報,特定健診情報', `the second consent asks for both (${types})`);
    await this.shot(page, '10-consent-two-types');
    await this.submit(page, '同意する');
    await this.awaitRecords(page);
    const headings = (await this.sections(page)).map((s) => s.heading.replace(/（.*/, ''));
    check(headings.join() === '薬剤情報,特定健診情報', `both types on the records page (${headings})`);
    await this.shot(page, '11-records-two-types');
    await context.close();
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(args.out, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'myna-browser-'));
  const started = Date.now();
  let app = null;
  let browser = null;
  let passed = 0;
  try {
    app = await startWebApp(args.webApp, work);
    browser = await launchChromium(args.chromium, app.info, path.join(work, 'profile'));
    const flows = new Flows(browser, app.info, args.out);
    for (const [name, run] of [['one information type', () => flows.oneType()],
                               ['refusal', () => flows.refusal()],
                               ['expired card, not registered', () => flows.cardsEndingAtSignIn()],
                               ['second consent adding a type', () => flows.secondConsent()]]) {
      const t0 = Date.now();
      try {
        await run();
        ++passed;
        console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      } catch (e) {
        console.log(`FAIL ${name}: ${e.message}`);
      }
    }
  } catch (e) {
    console.log(`FAIL setting up: ${e.message}`);
  } finally {
    if (browser) await browser.close();
    if (app) {  // it ends cleanly on SIGTERM; anything else (a sanitizer report, a crash) fails
      app.child.kill('SIGTERM');
      const status = await Promise.race([app.done, sleep(15000).then(() => 'no exit within 15 s')]);
      if (status !== 0) {
        console.log(`FAIL web_app ended with ${status}`);
        passed = 0;
      }
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`screenshots in ${args.out}; ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  console.log(`FIGURE browser_flows_passed ${passed}`);
  process.exit(passed === 4 ? 0 : 1);
}

main();
