// The auditor's main path in a real browser: sign in at Oversight's console with password and a
// one-time code, search for an escrow by its item text, open its timeline and see each transition
// with its block, endorsing orgs, its place in the audit proof and the "verified" mark of the proof
// verifier running in the page; no serious accessibility issue.
import { as, createRequest, eventually, uniqueEscrowId } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import {
  expectAccessible,
  launchBrowser,
  newPage,
  provisionUser,
  screenshot,
  signIn,
} from './consoleBrowser';

describe('console e2e (browser): the auditor searches escrows and reads a timeline', function () {
  this.timeout(120_000);
  const escrowId = uniqueEscrowId('console-audit', 'e2e');
  const itemText = `Console lamp ${escrowId.slice(-6)}`;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const created = await as(
      'marketa-backend',
      'POST',
      '/v1/escrows',
      createRequest(escrowId, { items: [{ description: itemText, price: '4200' }] }),
    );
    expect(created.status, created.text).to.equal(201);
    expect((await as('bea', 'POST', `/v1/escrows/${escrowId}/accept`, {})).status).to.equal(200);
    // Oversight's projection (the auditor's search) has both transitions once its mirror caught up.
    await eventually("the accepted escrow in the auditor's search", async () => {
      const found = await as('oscar', 'GET', `/v1/escrows?q=${encodeURIComponent(itemText)}`);
      const states = (found.body['records'] as { state: string }[] | undefined)?.map(
        (escrow) => escrow.state,
      );
      return states?.[0] === 'CREATED' ? true : undefined;
    });
    browser = await launchBrowser();
    page = await newPage(browser);
  });

  after(async () => {
    await browser.close();
  });

  it('signs in with password and one-time code, and offers the auditor the audit and consortium pages', async () => {
    await signIn(page, 'Oversight', await provisionUser('Oversight', 'auditor'));
    // The page is its own chunk, loaded after the shell says who is signed in.
    const heading = page.getByRole('heading', { name: 'Audit', level: 1 });
    await heading.waitFor();
    expect(await heading.count()).to.equal(1);
    expect(
      await page.getByRole('navigation', { name: 'pages' }).getByRole('button').allTextContents(),
    ).to.deep.equal(['Audit', 'Consortium health']);
    await expectAccessible(page, 'audit page');
  });

  it('finds the escrow by item text and shows its timeline with endorsing orgs and proof marks', async () => {
    await page.getByLabel('Item text').fill(itemText);
    await page.getByRole('button', { name: 'Search escrows' }).click();
    await page.getByRole('button', { name: escrowId }).click();
    const rows = page.getByTestId('timeline-row');
    // The page fetches the proof verifier's code on the first timeline, then checks every signature.
    await rows.nth(1).waitFor({ timeout: 60_000 });
    await page
      .getByTestId('verified-mark')
      .filter({ hasText: 'verifying…' })
      .first()
      .waitFor({ state: 'detached', timeout: 60_000 });
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)),
    );
    expect(cells.map((row) => row[0])).to.deep.equal(['PROPOSED', 'CREATED']);
    for (const row of cells) {
      expect(row[3], 'endorsing orgs').to.match(/MSP/);
      expect(row[5], 'proof mark').to.equal('in proof, valid');
      expect(row[6], 'the whole proof verified in the browser').to.equal('verified');
    }
    await expectAccessible(page, 'timeline');
    await screenshot(page, 'auditor-timeline');
  });
});
