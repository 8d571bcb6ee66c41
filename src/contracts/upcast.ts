/**
 * Worker side of contract versions: a payload of an older contract version upcast step by step to
 * the handler's, then validated; a payload newer than the worker's raises the `ContractVersionAhead`
 * failure the workflow waits on (the one Temporal failure type raised here, matched by its `type`).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { MediatorErrorContext } from '../core/errors.js';
import { RequestValidationError, errorMessage } from '../core/errors.js';
import { CONTRACT_AHEAD_TYPE } from '../../workflows/constants.js';
import { parseInput } from './execute.js';
import type { VersionedDefinition } from './versions.js';
import { ContractVersionError, contractVersion } from './versions.js';

/**
 * Brings a payload of contract version `from` up to the definition's version, step by step: for each
 * k from `from` to `version - 1`, parse with `previousInputs[k]` (if listed), then run `upcast[k]`
 * (if any). The result still has to pass the current schema (see {@link parseVersionedInput}).
 */
export async function upcastInput(
  definition: VersionedDefinition,
  input: unknown,
  from: number,
  context: MediatorErrorContext = {},
): Promise<unknown> {
  const versions = { from, to: contractVersion(definition) };
  let value = input;
  for (let k = from; k < versions.to; k++) {
    const schema = definition.previousInputs?.[k];
    if (schema) {
      try {
        value = await parseInput({ name: definition.name, input: schema }, value, {
          ...context,
          side: 'worker',
        });
      } catch (err) {
        // The caller's own payload failing its own schema is bad input; an upcaster's output, a bug.
        if (k === from || !(err instanceof RequestValidationError)) throw err;
        throw new ContractVersionError(definition.name, versions, {
          ...context,
          cause: err,
          reason: `upcast[${k - 1}] returned an input that fails version ${k}'s schema: ${err.message}`,
        });
      }
    }
    const step = definition.upcast?.[k];
    if (!step) continue;
    try {
      value = await step(value);
    } catch (cause) {
      throw new ContractVersionError(definition.name, versions, {
        ...context,
        cause,
        reason: `upcast[${k}] threw: ${errorMessage(cause)}`,
      });
    }
  }
  return value;
}

/**
 * Parses a payload of contract version `from` into the handler's input: upcasts it, then validates
 * it with the current schema. A validation failure of an upcast payload is the upcaster's fault: a
 * {@link ContractVersionError}; of a current one, a {@link RequestValidationError}.
 */
export async function parseVersionedInput(
  definition: VersionedDefinition,
  input: unknown,
  options: { from: number; validate: boolean } & MediatorErrorContext,
): Promise<unknown> {
  const { from, validate, ...context } = options;
  const upcast =
    from < contractVersion(definition) ? await upcastInput(definition, input, from, context) : input;
  if (!validate) return upcast;
  try {
    return await parseInput(definition, upcast, { ...context, side: 'worker' });
  } catch (err) {
    if (upcast === input || !(err instanceof RequestValidationError)) throw err;
    const to = contractVersion(definition);
    throw new ContractVersionError(
      definition.name,
      { from, to },
      {
        ...context,
        cause: err,
        reason: `the input upcast from version ${from} fails version ${to}'s schema: ${err.message}`,
      },
    );
  }
}

/**
 * What the worker runs a handler with: the payload of contract version `from` (@default 1) upcast
 * and validated. A payload newer than the worker's contract throws the `ContractVersionAhead`
 * failure, on which the workflow waits for a newer worker: the handler does not run.
 */
export async function workerInput(
  definition: VersionedDefinition,
  input: unknown,
  options: { from: number | undefined; validate: boolean } & MediatorErrorContext,
): Promise<unknown> {
  const from = options.from ?? 1;
  const to = contractVersion(definition);
  if (from > to) {
    throw ApplicationFailure.create({
      type: CONTRACT_AHEAD_TYPE,
      nonRetryable: true,
      message: `${definition.name}: the payload has contract version ${from}, this worker knows up to ${to}`,
      details: [{ fromVersion: from, toVersion: to }],
    });
  }
  return parseVersionedInput(definition, input, { ...options, from });
}
