// The gateway's OpenAPI validator in front of one handler, on a loopback port in process: the unit
// checks of the document (what it refuses, the media types it names, its examples) send real HTTP
// requests through exactly the validation the gateway runs. A refusal answers its status with
// `{ refused: <message> }`.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchPathsExactly } from '../routing/apiRouting';
import { openApiValidation } from './requestValidation';

export interface ValidatorHarness {
  /** http://127.0.0.1:<port> */
  readonly base: string;
  close(): void;
}

export async function startValidatorHarness(options: {
  readonly validateResponses: boolean;
  /** What a request that passed validation gets. */
  readonly handler: RequestHandler;
}): Promise<ValidatorHarness> {
  const app = express();
  matchPathsExactly(app);
  app.use(express.json());
  app.use(openApiValidation({ validateResponses: options.validateResponses }));
  app.all('/v1/{*rest}', options.handler);
  app.use(
    (
      error: { status?: number; message?: string },
      _request: Request,
      response: Response,
      next: NextFunction,
    ) => {
      if (response.headersSent) {
        next(error);
        return;
      }
      response.status(error.status ?? 500).json({ refused: error.message ?? true });
    },
  );
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    close: () => {
      // fetch keeps its connections alive; close them too, or the process would wait for them.
      server.closeAllConnections();
      server.close();
    },
  };
}
