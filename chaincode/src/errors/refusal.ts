// The refusal format, read back: Fabric hands a client only the chaincode's message text, which the
// peer wraps ("chaincode response 500, CODE: detail"), so clients find the stable code in the text.
import { ERROR_CODES, type ErrorCode } from './escrowErrors';

export interface Refusal {
  readonly code: ErrorCode;
  /** The chaincode's detail after `CODE: `, up to the end of its line. */
  readonly detail: string;
}

const refusalPattern = new RegExp(`(?:^|[\\s,:])(${ERROR_CODES.join('|')}): `, 'g');

/** The chaincode's refusal in one error text, if it holds one. */
export function parseRefusal(text: string): Refusal | undefined {
  for (const match of text.matchAll(refusalPattern)) {
    const code = match[1] as ErrorCode | undefined;
    if (code !== undefined)
      return { code, detail: text.slice(match.index + match[0].length).split('\n')[0] ?? '' };
  }
  return undefined;
}

/** The first refusal among several texts (an error's message, its cause, each endorser's detail). */
export function refusalIn(texts: readonly string[]): Refusal | undefined {
  for (const text of texts) {
    const refusal = parseRefusal(text);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}
