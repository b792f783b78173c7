// The console's browser tests' kit: Debian's Chromium (installed by scripts/install/prerequisites.sh,
// never a browser download) driven by playwright-core, a user who signs in through the realm's own
// login pages (password, then a one-time code for arbiters and auditors), an axe-core check of each
// page, and screenshots under test-output/console/, whose paths the test prints.
import AxeBuilder from '@axe-core/playwright';
import { addRealmUser, gatewayUrlOf, oneTimeCodes, repoRoot } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's package puts its browser here; P2P_CHROMIUM names another. */
export const chromiumPath = process.env['P2P_CHROMIUM'] ?? '/usr/bin/chromium';
export const screenshotDir = path.join(repoRoot, 'test-output', 'console');

export function consoleUrlOf(org: string): string {
  return `${gatewayUrlOf(org)}/console/`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
}

/** A fresh page that trusts the local CA's certificates by ignoring HTTPS errors (local stack only). */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1200, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // The realm's login pages are the slowest step on a loaded machine; a wait, not an assertion.
  page.setDefaultNavigationTimeout(60_000);
  return page;
}

export interface ConsoleUser {
  readonly username: string;
  readonly password: string;
  readonly totpKey: Buffer;
}

/** The roles whose users the realm asks for a one-time code (its `totp-required` role). */
const SECOND_FACTOR_ROLES = new Set(['arbiter', 'auditor']);

/**
 * A new user of `org`'s realm with `role` and a TOTP credential, added through Keycloak's admin API:
 * the test holds the secret, as an authenticator app would after enrolment. Arbiters and auditors
 * also get `totp-required`, so the realm asks them for a code.
 */
export async function provisionUser(org: string, role: string): Promise<ConsoleUser> {
  const suffix = crypto.randomBytes(4).toString('hex');
  const user = {
    username: `console-${role}-${suffix}`,
    password: crypto.randomBytes(18).toString('base64url'),
    totpSecret: crypto.randomBytes(20).toString('hex'),
  };
  await addRealmUser(org, {
    username: user.username,
    password: user.password,
    roles: SECOND_FACTOR_ROLES.has(role) ? [role, 'totp-required'] : [role],
    marketplace: org,
    totpSecret: user.totpSecret,
  });
  return { username: user.username, password: user.password, totpKey: Buffer.from(user.totpSecret, 'utf8') };
}

/** Signs in from the console's start page through the realm's login form (and its one-time code form). */
export async function signIn(page: Page, org: string, user: ConsoleUser): Promise<void> {
  await page.goto(consoleUrlOf(org));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#username').fill(user.username);
  await page.locator('#password').fill(user.password);
  await page.locator('#kc-login').click();
  const otp = page.locator('#otp');
  const signedIn = page.getByText(`Signed in as ${user.username}`);
  // The realm asks for a one-time code only of the users holding totp-required.
  await Promise.race([otp.waitFor(), signedIn.waitFor()]);
  if (await otp.isVisible()) {
    await otp.fill(await oneTimeCodes.next(user.username, user.totpKey));
    await page.locator('#kc-login').click();
  }
  await page.getByText(`Signed in as ${user.username}`).waitFor();
}

/** Fails on any serious or critical accessibility violation axe-core finds on the page as it is. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const severe = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(
    severe.map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join('; ')})`,
    ),
    `${what}: accessibility`,
  ).to.deep.equal([]);
}

/** Writes a full-page screenshot and prints its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`      screenshot: ${path.relative(process.cwd(), file)}`);
  return file;
}
