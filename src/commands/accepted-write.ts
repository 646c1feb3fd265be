import { Logger } from '@nestjs/common';

const logger = new Logger('AcceptedWrite');

/**
 * The answer to a command the engine accepted when the gateway could not finish what comes after (refreshing the
 * mirror, reading the answer back). Rendered as 202 with what is known and `mirrored: false`: the write happened,
 * so the caller must not be told it failed and invited to retry (that would complete twice or start a second
 * instance); the poll brings the mirror up to date.
 */
export class AcceptedWrite {
  constructor(
    readonly known: Record<string, unknown>,
    readonly location?: string,
  ) {}

  toJSON(): Record<string, unknown> {
    return { ...this.known, mirrored: false };
  }
}

/**
 * Runs what follows a write the engine has already accepted. Whatever fails there (database cut, engine gone
 * while reading back) is logged and turned into an AcceptedWrite carrying `known`, never into an error.
 */
export async function afterEngineAccepted<T>(
  command: string,
  known: Record<string, unknown>,
  finish: () => Promise<T>,
  location?: string,
): Promise<T | AcceptedWrite> {
  try {
    return await finish();
  } catch (error) {
    logger.warn(`The engine accepted "${command}" but the answer could not be completed (${(error as Error).message}); answering 202, the poll catches up`);
    return new AcceptedWrite(known, location);
  }
}

/** How the OpenAPI document describes an AcceptedWrite answer, on every route that may give one. */
export const ACCEPTED_WRITE_RESPONSE = {
  description:
    'The engine accepted the command but the mirror could not be brought up to date yet: what is known, with `mirrored: false`. Do not retry; the poll catches up.',
};
