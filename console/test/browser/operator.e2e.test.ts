// The peer operator's main path in a real browser: sign in at Oversight's console and read the
// gateway's readiness, every dependency named; an auditor also reads the ledger's side: each org's
// peer's channel height, each orderer answering, the chaincode definition and the mirror's lag with its charts (blocks behind
// per node, and the lag per minute of the last half hour, which holds a create made just before). No serious
// accessibility issue on either.
import { createdByMarketA } from '@p2p-escrow/testkit';
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

describe('console e2e (browser): the peer operator reads the consortium health', function () {
  this.timeout(90_000);
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
  });

  after(async () => {
    await browser.close();
  });

  it('shows each dependency of the gateway with its state', async () => {
    await signIn(page, 'Oversight', await provisionUser('Oversight', 'operator'));
    const rows = page.getByTestId('readiness-row');
    await rows.first().waitFor();
    const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent));
    expect(names).to.include.members(['keycloakJwks', 'fabricPeer', 'postgres', 'mirror']);
    await expectAccessible(page, 'consortium health');
    await screenshot(page, 'operator-health');
  });

  it("shows an auditor every org's peer height, the chaincode definition and the mirror's lag", async () => {
    await createdByMarketA('console-lag');
    const auditorPage = await newPage(browser);
    await signIn(auditorPage, 'Oversight', await provisionUser('Oversight', 'auditor'));
    await auditorPage
      .getByRole('navigation', { name: 'pages' })
      .getByRole('button', { name: 'Consortium health' })
      .click();
    const peers = auditorPage.getByTestId('peer-row');
    await peers.nth(2).waitFor();
    const cells = await peers.evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)),
    );
    expect(cells.map((row) => row[0]).sort()).to.deep.equal(['MarketA', 'MarketB', 'Oversight']);
    for (const row of cells) {
      expect(row[2], `${String(row[0])}'s height`).to.match(/^[1-9][0-9]*$/);
      expect(row[3], `${String(row[0])}'s state`).to.equal('ok');
    }
    const orderers = await auditorPage
      .getByTestId('orderer-row')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
    expect(orderers).to.have.length.at.least(1);
    for (const row of orderers) {
      expect(row[2], `${String(row[0])}'s handshake`).to.match(/^\d+ ms$/);
      expect(row[3], `${String(row[0])}'s state`).to.equal('ok');
    }
    const definition = await auditorPage.getByTestId('chaincode-definition').textContent();
    expect(definition).to.match(/sequence\s*[1-9]/);
    expect(definition).to.include('OutOf(2, MarketAMSP.peer, MarketBMSP.peer, OversightMSP.peer)');
    expect(await auditorPage.getByTestId('mirror-lag').textContent()).to.match(
      /^Checkpoint \d+, \d+ blocks behind/,
    );
    // The chart's own table (the readiness table above also has a row named mirror).
    const lagCell = auditorPage.locator('figure.chart').getByRole('cell', { name: 'mirror', exact: true });
    await lagCell.first().waitFor();
    expect(await lagCell.count()).to.equal(1);
    // The lag per minute comes from the projection: the create made before signing in is in it.
    const lagHistory = auditorPage.getByRole('table', { name: /mirror's lag per minute/ });
    await lagHistory.locator('tbody tr').first().waitFor();
    expect(await lagHistory.locator('tbody tr td:nth-child(2)').allTextContents()).to.satisfy(
      (lags: string[]) => lags.length > 0 && lags.every((lag) => /^\d+$/.test(lag)),
    );
    await expectAccessible(auditorPage, 'consortium ledger view');
    await screenshot(auditorPage, 'operator-consortium');
  });
});
