import { expect } from 'chai';
import { channelsListed } from './channel';

describe('osnadmin channel list output', () => {
  it('names the channels after the status line', () => {
    const output =
      'Status: 200\n{\n\t"systemChannel": null,\n\t"channels": [\n\t\t{\n\t\t\t"name": "escrow",\n\t\t\t"url": "/participation/v1/channels/escrow"\n\t\t}\n\t]\n}\n';
    expect(channelsListed(output)).to.deep.equal(['escrow']);
  });

  it('is empty for an orderer on no channel, and refuses output without JSON', () => {
    expect(channelsListed('Status: 200\n{\n\t"systemChannel": null,\n\t"channels": null\n}\n')).to.deep.equal(
      [],
    );
    expect(() => channelsListed('Error: connection refused')).to.throw(/printed no JSON/);
  });
});
