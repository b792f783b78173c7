import * as common from '@hyperledger/fabric-protos/lib/common/common_pb';
import * as msp from '@hyperledger/fabric-protos/lib/msp/identities_pb';
import * as proposalResponse from '@hyperledger/fabric-protos/lib/peer/proposal_response_pb';
import * as peer from '@hyperledger/fabric-protos/lib/peer/transaction_pb';
import { expect } from 'chai';
import { endorsementsOf, endorsingOrgsByTransaction } from './endorsingOrgs';

function envelopeOf(txId: string, type: number, endorsers: readonly string[]): string {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(type);
  channelHeader.setTxId(txId);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const endorsedAction = new peer.ChaincodeEndorsedAction();
  endorsedAction.setEndorsementsList(
    endorsers.map((mspId) => {
      const identity = new msp.SerializedIdentity();
      identity.setMspid(mspId);
      const endorsement = new proposalResponse.Endorsement();
      endorsement.setEndorser(identity.serializeBinary());
      return endorsement;
    }),
  );
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setAction(endorsedAction);
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return btoa(String.fromCharCode(...envelope.serializeBinary()));
}

describe('console endorsing orgs from a proof envelope', () => {
  it('names the MSP of every endorsement of an endorser transaction, once each, sorted', () => {
    const envelope = envelopeOf('tx1', common.HeaderType.ENDORSER_TRANSACTION, [
      'OversightMSP',
      'MarketAMSP',
      'MarketAMSP',
    ]);
    expect(endorsementsOf(envelope)).to.deep.equal({ txId: 'tx1', mspIds: ['MarketAMSP', 'OversightMSP'] });
  });

  it('names none for a configuration transaction, and maps the endorser transactions of blocks by id', () => {
    const config = envelopeOf('cfg', common.HeaderType.CONFIG, []);
    expect(endorsementsOf(config).mspIds).to.deep.equal([]);
    const byTx = endorsingOrgsByTransaction([
      { envelopes: [config, envelopeOf('tx2', common.HeaderType.ENDORSER_TRANSACTION, ['MarketBMSP'])] },
    ]);
    expect([...byTx]).to.deep.equal([['tx2', ['MarketBMSP']]]);
  });
});
